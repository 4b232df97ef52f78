using System.CommandLine;
using System.Globalization;
using Retention.Configuration;

namespace Retention.Cli.Settings;

/// <summary>
/// Merges the settings: defaults, then the config file, then the environment (<c>JobCleanup__*</c> and the old script's
/// <c>EEMT_*</c> names), then flags. Every value remembers its source, and every check names it.
/// </summary>
internal static class SettingsResolver
{
    public static CliSettings Resolve(ParseResult parse, CommonOptions options, CliContext context)
    {
        var env = context.Environment;
        var configPath = parse.GetValue(options.Config);
        var file = configPath is null ? new ConfigFile() : ConfigFile.Load(context.FullPath(configPath));
        var fileName = configPath is null ? string.Empty : Path.GetFileName(configPath) + ": ";

        Sourced<string> PathSetting(Option<string> flag, string fileKey, string? fileValue, string envKey, string fallback)
        {
            if (Given(parse, flag))
            {
                return new(context.FullPath(parse.GetValue(flag)!), flag.Name);
            }

            if (env.GetValueOrDefault(envKey) is { Length: > 0 } fromEnv)
            {
                return new(context.FullPath(fromEnv), envKey);
            }

            return fileValue is null ? new(context.FullPath(fallback), flag.Name) : new(context.FullPath(fileValue), fileName + fileKey);
        }

        Sourced<double> Hours(Option<double> flag, string fileKey, double? fileValue, string legacyVariable, string envKey, double fallback)
        {
            if (Given(parse, flag))
            {
                return new(parse.GetValue(flag), flag.Name);
            }

            foreach (var key in new[] { envKey, legacyVariable })
            {
                if (env.GetValueOrDefault(key) is { Length: > 0 } text)
                {
                    if (key == envKey)
                    {
                        // The library's one duration syntax (7d, 12h, 00:30:00); a bare number is refused, as .NET would
                        // read "168" as days. The old script's variable is the one that takes hours.
                        return JobCleanupConfiguration.TryParseDuration(text, out var span, out var problem)
                            ? new(span.TotalHours, key)
                            : throw new UsageException($"{key}: {problem} (or set {legacyVariable}={text.Trim()} for hours).");
                    }

                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
                        ? new(h, key)
                        : throw new UsageException($"{key}: '{text}' is not a number of hours.");
                }
            }

            return fileValue is null ? new(fallback, flag.Name) : new(fileValue.Value, fileName + fileKey);
        }

        Sourced<int> Count(Option<int>? flag, string flagName, string fileKey, int? fileValue, string[] envKeys, int fallback)
        {
            if (flag is not null && Given(parse, flag))
            {
                return new(parse.GetValue(flag), flag.Name);
            }

            foreach (var key in envKeys)
            {
                if (env.GetValueOrDefault(key) is { Length: > 0 } text)
                {
                    return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                        ? new(value, key)
                        : throw new UsageException($"{key}: '{text}' is not a whole number.");
                }
            }

            return fileValue is null ? new(fallback, flagName) : new(fileValue.Value, fileName + fileKey);
        }

        bool Flag(Option<bool> flag, params string[] envKeys)
        {
            if (Given(parse, flag))
            {
                return parse.GetValue(flag);
            }

            foreach (var key in envKeys)
            {
                if (env.GetValueOrDefault(key) is { Length: > 0 } text)
                {
                    return text.Trim().ToLowerInvariant() switch
                    {
                        "1" or "true" or "yes" or "on" => true,
                        "0" or "false" or "no" or "off" => false,
                        _ => throw new UsageException($"{key}: '{text}' is not true or false."),
                    };
                }
            }

            return false;
        }

        var logLevel = env.GetValueOrDefault("EEMT_CLEANUP_LOG_LEVEL")?.Trim().ToUpperInvariant();
        if (logLevel is { Length: > 0 } and not ("DEBUG" or "INFO" or "WARNING" or "ERROR"))
        {
            throw new UsageException($"EEMT_CLEANUP_LOG_LEVEL: '{logLevel}' is not one of DEBUG, INFO, WARNING, ERROR.");
        }

        Sourced<string>? postgres = Given(parse, options.Postgres) ? new(parse.GetValue(options.Postgres)!, options.Postgres.Name)
            : env.GetValueOrDefault("JobCleanup__PostgreSql__ConnectionString") is { Length: > 0 } fromEnv ? new(fromEnv, "JobCleanup__PostgreSql__ConnectionString")
            : null;
        if (postgres is not null && Given(parse, options.DbPath))
        {
            throw new UsageException($"{options.DbPath.Name} and {postgres.Value.Source}: give one database, the SQLite file or PostgreSQL.");
        }

        var settings = new CliSettings
        {
            DatabasePath = PathSetting(options.DbPath, "paths.database", file.Paths?.Database, "JobCleanup__Sqlite__DatabasePath", "./jobs.db"),
            Postgres = postgres,
            UploadsDir = PathSetting(options.UploadsDir, "paths.uploads", file.Paths?.Uploads, "JobCleanup__Roots__uploads", "./uploads"),
            ResultsDir = PathSetting(options.ResultsDir, "paths.results", file.Paths?.Results, "JobCleanup__Roots__results", "./results"),
            TempDir = Given(parse, options.TempDir) || file.Paths?.Temp is not null || env.ContainsKey("JobCleanup__Roots__temp")
                ? PathSetting(options.TempDir, "paths.temp", file.Paths?.Temp, "JobCleanup__Roots__temp", "./temp")
                : null,
            SuccessRetentionHours = Hours(options.SuccessRetention, "retention.successful_jobs.hours", file.Retention?.SuccessfulJobs?.Hours, "EEMT_SUCCESS_RETENTION_HOURS", "JobCleanup__SucceededRetention", 168),
            FailedRetentionHours = Hours(options.FailedRetention, "retention.failed_jobs.hours", file.Retention?.FailedJobs?.Hours, "EEMT_FAILED_RETENTION_HOURS", "JobCleanup__FailedRetention", 12),
            BatchSize = Count(options.BatchSize, "--batch-size", "performance.batch_size", file.Performance?.BatchSize, ["JobCleanup__BatchSize", "EEMT_CLEANUP_BATCH_SIZE"], 100),
            Workers = Count(options.Workers, "--workers", "performance.max_workers", file.Performance?.ParallelDelete == false ? 1 : file.Performance?.MaxWorkers, ["JobCleanup__MaxParallelDeletions"], 4),
            DryRun = options.DryRun is not null && Flag(options.DryRun, "JobCleanup__DryRun", "EEMT_CLEANUP_DRY_RUN"),
            Verbose = parse.GetValue(options.Verbose) || logLevel == "DEBUG",
            Debug = logLevel == "DEBUG",
            Json = options.Json is not null && parse.GetValue(options.Json),
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
