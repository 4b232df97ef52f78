namespace Retention.Cleanup;

/// <summary>The triggers the library writes into <see cref="CleanupRequest.Trigger"/>, run history and audit.</summary>
public static class CleanupTriggers
{
    /// <summary>Started by code, by default.</summary>
    public const string Manual = "manual";

    /// <summary>Started by the schedule, including a missed run caught up after start.</summary>
    public const string Schedule = "schedule";

    /// <summary>Started once when the host started (<c>RunOnStart</c>).</summary>
    public const string Startup = "startup";

    /// <summary>Started on demand through the hosted cleanup's trigger.</summary>
    public const string OnDemand = "on-demand";

    /// <summary>Started over HTTP.</summary>
    public const string Http = "http";

    /// <summary>Started by the <c>retention</c> command-line tool.</summary>
    public const string Cli = "cli";
}
