using System.CommandLine;
using System.Globalization;
using Retention.Configuration;

namespace Retention.Cli.Settings;

/// <summary>
/// Merges the settings. Precedence, highest first: flags, <c>JobCleanup__*</c> variables, the old scripts' <c>EEMT_*</c>
/// variables, the config file (its <c>JobCleanup</c> section, or the old <c>cleanup_config.yaml</c> keys), the defaults.
/// Every value remembers its source, and every check names it.
/// </summary>
internal static class SettingsResolver
{
    /// <param name="parse">The command line.</param>
    /// <param name="options">The flags.</param>
    /// <param name="context">The environment and working folder.</param>
    /// <param name="configPath">A config file read instead of <c>--config</c>'s (<c>retention diff</c>'s candidate).</param>
    public static CliSettings Resolve(ParseResult parse, CommonOptions options, CliContext context, string? configPath = null)
    {
        var env = context.Environment;
        configPath ??= parse.GetValue(options.Config);
        var file = configPath is null ? new ConfigFile() : ConfigFile.Load(context.FullPath(configPath));
        var fileName = configPath is null ? string.Empty : Path.GetFileName(configPath) + ": ";
        var layers = JobCleanupLayers.Create(env, file.JobCleanup, configPath is null ? string.Empty : Path.GetFileName(configPath));
        var checkedSettings = CliHost.Checked(layers); // every mistake in the file and the variables, before any is used

        Sourced<string> PathSetting(Option<string> flag, string fileKey, string? fileValue, string key, string fallback)
        {
            if (Given(parse, flag))
            {
                return new(context.FullPath(parse.GetValue(flag)!), flag.Name);
            }

            if (layers.Find(key) is { } configured)
            {
                return configured with { Value = context.FullPath(configured.Value) };
            }

            return fileValue is null ? new(context.FullPath(fallback), flag.Name) : new(context.FullPath(fileValue), fileName + fileKey);
        }

        Sourced<double> Hours(Option<double> flag, string fileKey, double? fileValue, string legacyVariable, string key, double fallback)
        {
            if (Given(parse, flag))
            {
                return new(parse.GetValue(flag), flag.Name);
            }

            if (layers.Find(key) is { } configured)
            {
                // The library's one duration syntax (7d, 12h, 00:30:00); a bare number is refused, as .NET would read
                // "168" as days. The old script's variable is the one that takes hours.
                return JobCleanupConfiguration.TryParseDuration(configured.Value, out var span, out var problem)
                    ? new(span.TotalHours, configured.Source)
                    : throw new UsageException($"{configured.Source}: {problem} (or set {legacyVariable}={configured.Value.Trim()} for hours).");
            }

            if (env.GetValueOrDefault(legacyVariable) is { Length: > 0 } text)
            {
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
                    ? new(h, legacyVariable)
                    : throw new UsageException($"{legacyVariable}: '{text}' is not a number of hours.");
            }

            return fileValue is null ? new(fallback, flag.Name) : new(fileValue.Value, fileName + fileKey);
        }

        Sourced<int> Count(Option<int>? flag, string flagName, string fileKey, int? fileValue, string key, string? legacyVariable, int fallback)
        {
            if (flag is not null && Given(parse, flag))
            {
                return new(parse.GetValue(flag), flag.Name);
            }

            var configured = layers.Find(key) ?? (legacyVariable is not null && env.GetValueOrDefault(legacyVariable) is { Length: > 0 } text ? new(text, legacyVariable) : null);
            if (configured is { } c)
            {
                return int.TryParse(c.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? new(value, c.Source)
                    : throw new UsageException($"{c.Source}: '{c.Value}' is not a whole number.");
            }

            return fileValue is null ? new(fallback, flagName) : new(fileValue.Value, fileName + fileKey);
        }

        bool Flag(Option<bool> flag, string key, string legacyVariable)
        {
            if (Given(parse, flag))
            {
                return parse.GetValue(flag);
            }

            var configured = layers.Find(key) ?? (env.GetValueOrDefault(legacyVariable) is { Length: > 0 } text ? new(text, legacyVariable) : null);
            return configured is not { } c ? false : c.Value.Trim().ToLowerInvariant() switch
            {
                "1" or "true" or "yes" or "on" => true,
                "0" or "false" or "no" or "off" => false,
                _ => throw new UsageException($"{c.Source}: '{c.Value}' is not true or false."),
            };
        }

        if (options.SkipLarge is not null && (Given(parse, options.SkipLarge) || (options.SizeThreshold is not null && Given(parse, options.SizeThreshold))))
        {
            // Skipping a job by size would keep its data past its retention with nothing to say when it goes.
            throw new UsageException("--skip-large, --size-threshold: not supported: a skipped job would keep its data past its retention. To bound how much one run deletes, set JobCleanup__CircuitBreaker__MaxBytesPerRun (bytes; the rest waits for the next run); for speed, --workers.");
        }

        var logLevel = env.GetValueOrDefault("EEMT_CLEANUP_LOG_LEVEL")?.Trim().ToUpperInvariant();
        if (logLevel is { Length: > 0 } and not ("DEBUG" or "INFO" or "WARNING" or "ERROR"))
        {
            throw new UsageException($"EEMT_CLEANUP_LOG_LEVEL: '{logLevel}' is not one of DEBUG, INFO, WARNING, ERROR.");
        }

        Sourced<string>? postgres = Given(parse, options.Postgres) ? new(parse.GetValue(options.Postgres)!, options.Postgres.Name)
            : layers.Find("PostgreSql:ConnectionString");
        if (postgres is not null && Given(parse, options.DbPath))
        {
            throw new UsageException($"{options.DbPath.Name} and {postgres.Value.Source}: give one database, the SQLite file or PostgreSQL.");
        }

        var settings = new CliSettings
        {
            DatabasePath = PathSetting(options.DbPath, "paths.database", file.Paths?.Database, "Sqlite:DatabasePath", "./jobs.db"),
            Postgres = postgres,
            UploadsDir = PathSetting(options.UploadsDir, "paths.uploads", file.Paths?.Uploads, "Roots:uploads", "./uploads"),
            ResultsDir = PathSetting(options.ResultsDir, "paths.results", file.Paths?.Results, "Roots:results", "./results"),
            TempDir = Given(parse, options.TempDir) || file.Paths?.Temp is not null || layers.Find("Roots:temp") is not null
                ? PathSetting(options.TempDir, "paths.temp", file.Paths?.Temp, "Roots:temp", "./temp")
                : null,
            SuccessRetentionHours = Hours(options.SuccessRetention, "retention.successful_jobs.hours", file.Retention?.SuccessfulJobs?.Hours, "EEMT_SUCCESS_RETENTION_HOURS", "SucceededRetention", 168),
            FailedRetentionHours = Hours(options.FailedRetention, "retention.failed_jobs.hours", file.Retention?.FailedJobs?.Hours, "EEMT_FAILED_RETENTION_HOURS", "FailedRetention", 12),
            BatchSize = Count(options.BatchSize, "--batch-size", "performance.batch_size", file.Performance?.BatchSize, "BatchSize", "EEMT_CLEANUP_BATCH_SIZE", 100),
            Workers = Count(options.Workers, "--workers", "performance.max_workers", file.Performance?.ParallelDelete == false ? 1 : file.Performance?.MaxWorkers, "MaxParallelDeletions", null, 4),
            DryRun = options.DryRun is not null && Flag(options.DryRun, "DryRun", "EEMT_CLEANUP_DRY_RUN"),
            Verbose = parse.GetValue(options.Verbose) || parse.GetValue(options.Debug) || logLevel == "DEBUG",
            Debug = parse.GetValue(options.Debug) || logLevel == "DEBUG",
            LogLevel = parse.GetValue(options.Debug) ? "DEBUG" : logLevel is { Length: > 0 } ? logLevel : "INFO",
            Json = options.Json is not null && parse.GetValue(options.Json),
            Compatible = options.Compatible is not null && parse.GetValue(options.Compatible),
            Layers = layers,
            JobCleanup = checkedSettings,
        };
        Validate(settings);
        return settings;
    }

    // Given on the command line, as opposed to a default the parser filled in (bool options always have one).
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static void Validate(CliSettings s)
    {
        if (s.SuccessRetentionHours.Value <= 0 || double.IsNaN(s.SuccessRetentionHours.Value))
        {
            throw new UsageException($"{s.SuccessRetentionHours.Source}: must be a positive number of hours (was {s.SuccessRetentionHours.Value.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (s.FailedRetentionHours.Value <= 0 || double.IsNaN(s.FailedRetentionHours.Value))
        {
            throw new UsageException($"{s.FailedRetentionHours.Source}: must be a positive number of hours (was {s.FailedRetentionHours.Value.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (s.BatchSize.Value < 1)
        {
            throw new UsageException($"{s.BatchSize.Source}: must be at least 1 (was {s.BatchSize.Value}).");
        }

        if (s.Workers.Value < 1)
        {
            throw new UsageException($"{s.Workers.Source}: must be at least 1 (was {s.Workers.Value}).");
        }

        if (s.Postgres is null && Directory.Exists(s.DatabasePath.Value))
        {
            throw new UsageException($"{s.DatabasePath.Source}: '{s.DatabasePath.Value}' is a folder; give the database file ({Path.Combine(s.DatabasePath.Value, "jobs.db")}, say).");
        }

        if (s.Postgres is null && !File.Exists(s.DatabasePath.Value))
        {
            throw new UsageException($"{s.DatabasePath.Source}: '{s.DatabasePath.Value}' does not exist.");
        }

        foreach (var dir in new[] { s.UploadsDir, s.ResultsDir }.Concat(s.TempDir is { } t ? [t] : []))
        {
            if (!Directory.Exists(dir.Value))
            {
                throw new UsageException($"{dir.Source}: '{dir.Value}' does not exist or is not a directory.");
            }

            if (Deletion.DeletionRoots.Validate(dir.Value) is { } problem)
            {
                throw new UsageException($"{dir.Source}: {problem}.");
            }
        }
    }
}
