namespace Retention.Cli.Settings;

/// <summary>The tool's settings once flags, environment and config file are merged (in that order of precedence).</summary>
internal sealed record CliSettings
{
    public required Sourced<string> DatabasePath { get; init; }

    /// <summary>The PostgreSQL connection string, when the PostgreSQL store is used instead of the SQLite file.</summary>
    public Sourced<string>? Postgres { get; init; }

    public required Sourced<string> UploadsDir { get; init; }

    public required Sourced<string> ResultsDir { get; init; }

    public Sourced<string>? TempDir { get; init; }

    public required Sourced<double> SuccessRetentionHours { get; init; }

    public required Sourced<double> FailedRetentionHours { get; init; }

    public required Sourced<int> BatchSize { get; init; }

    public required Sourced<int> Workers { get; init; }

    public bool DryRun { get; init; }

    public bool Verbose { get; init; }

    public bool Debug { get; init; }

    /// <summary>The lowest level of log line printed: DEBUG, INFO, WARNING or ERROR.</summary>
    public string LogLevel { get; init; } = "INFO";

    /// <summary>Lines and audit rows in the classic cleanup scripts' format (<c>--compatible</c>).</summary>
    public bool Compatible { get; init; }

    public bool Json { get; init; }

    /// <summary>The library's <c>JobCleanup</c> settings from the config file and the variables, for everything the flags do not cover.</summary>
    public required JobCleanupLayers Layers { get; init; }

    /// <summary>The same settings checked (every mistake in either place reported at once) and merged, the variables over the file.</summary>
    public required Microsoft.Extensions.Configuration.IConfiguration JobCleanup { get; init; }
}

/// <summary>A value and where it came from (a flag, a variable, a file key), so an error can name it.</summary>
internal readonly record struct Sourced<T>(T Value, string Source);
