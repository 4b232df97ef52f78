namespace Retention.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Done, with failures (listed).</summary>
    public const int Failures = 1;

    /// <summary>Usage or configuration error; nothing was changed.</summary>
    public const int Usage = 2;
}
