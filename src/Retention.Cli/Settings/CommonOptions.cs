using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Retention.Configuration;

namespace Retention.Cli.Settings;

/// <summary>
/// The flags the commands share, with their names and defaults. A command sets to null the ones it has no use for
/// (<c>--dry-run</c>, <c>--json</c>, <c>--batch-size</c>, <c>--workers</c>, <c>--parallel</c>), so its help lists only
/// what it honours.
/// </summary>
internal sealed class CommonOptions
{
    public Option<string> DbPath { get; } = new("--db-path") { Description = "Path to the SQLite jobs database (default: ./jobs.db)" };

    public Option<string> Postgres { get; } = new("--postgres") { Description = "A PostgreSQL connection string: use the PostgreSQL store instead of the SQLite file (also JobCleanup__PostgreSql__ConnectionString)" };

    public Option<string> UploadsDir { get; } = new("--uploads-dir") { Description = "Directory containing uploaded inputs (default: ./uploads)" };

    public Option<string> ResultsDir { get; } = new("--results-dir") { Description = "Directory containing job outputs (default: ./results)" };

    public Option<string> TempDir { get; } = new("--temp-dir") { Description = "Directory containing working files (optional)" };

    public Option<double> SuccessRetention { get; } = new("--success-retention") { Description = "Hours to keep successful job data, or a duration (7d, 12h; default: 168)", CustomParser = RetentionHours };

    public Option<double> FailedRetention { get; } = new("--failed-retention") { Description = "Hours to keep failed job data, or a duration (12h, 1d; default: 12)", CustomParser = RetentionHours };

    public Option<bool>? DryRun { get; init; } = new("--dry-run") { Description = "Preview cleanup without deleting or changing anything" };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Enable detailed logging" };

    public Option<bool> Debug { get; } = new("--debug") { Description = "With --verbose's lines, debug lines: each store query and write, each file operation, with its time, and memory use at the end (also EEMT_CLEANUP_LOG_LEVEL=DEBUG)" };

    public Option<bool>? Parallel { get; init; } = new("--parallel") { Description = "Delete jobs in parallel: on by default, --workers sets how many" };

    // The old scripts' --skip-large and --size-threshold: kept off the help, and refused with what to use instead.
    public Option<bool>? SkipLarge { get; init; } = new("--skip-large") { Hidden = true };

    public Option<string>? SizeThreshold { get; init; } = new("--size-threshold") { Hidden = true };

    public Option<int>? BatchSize { get; init; } = new("--batch-size") { Description = "Jobs processed per batch (default: 100)" };

    public Option<int>? Workers { get; init; } = new("--workers") { Description = "Jobs deleted in parallel (default: 4)" };

    public Option<bool>? Compatible { get; init; } = new("--compatible") { Description = "Print lines and write audit rows in the classic format of the cleanup scripts this tool replaces, for log scrapers and reports written for them" };

    public Option<string> Config { get; } = new("--config") { Description = "A JSON or YAML file in the shape of cleanup_config.yaml" };

    public Option<bool>? Json { get; init; } = new("--json") { Description = "Print the result as JSON (the shape of the REST response)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option?[] { DbPath, Postgres, UploadsDir, ResultsDir, TempDir, SuccessRetention, FailedRetention, DryRun, Verbose, Debug, BatchSize, Workers, Parallel, SkipLarge, SizeThreshold, Compatible, Config, Json })
        {
            if (option is not null)
            {
                command.Options.Add(option);
            }
        }
    }

    // The old scripts' flags take hours (168); the library's duration syntax (7d, 12h) is accepted too, and anything else is named.
    private static double RetentionHours(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours))
        {
            return hours;
        }

        if (JobCleanupConfiguration.TryParseDuration(text, out var duration, out _))
        {
            return duration.TotalHours;
        }

        var option = (result.Parent as OptionResult)?.Option.Name ?? "the retention";
        result.AddError($"{option}: '{text}' is neither a number of hours (168) nor a duration (7d, 12h, 30m).");
        return 0;
    }
}
