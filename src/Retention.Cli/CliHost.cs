using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Configuration;
using Retention.PostgreSql;
using Retention.Sqlite;

namespace Retention.Cli;

/// <summary>Builds the library's services for one command, from the merged settings.</summary>
internal static class CliHost
{
    public static ServiceProvider Build(CliSettings settings, CliContext context, bool readOnly, Action<CliSettings, JobCleanupOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context.Time);
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(settings.LogLevel switch
            {
                "DEBUG" => LogLevel.Debug,
                "WARNING" => LogLevel.Warning,
                "ERROR" => LogLevel.Error,
                _ => LogLevel.Information,
            });
            if (settings.Verbose && !settings.Json)
            {
                logging.AddProvider(new VerboseLoggerProvider(context.Out, classic: settings.Compatible));
            }
        });
        // The JobCleanup settings (the config file's section, the JobCleanup__* variables over it), checked when the
        // settings were resolved, read for the library's options and the store's.
        var environment = settings.JobCleanup;
        var cleanup = services.AddJobCleanup(o =>
            {
                // Every library setting first (quarantine, extra roots and conventions, rules, stale jobs, circuit
                // breaker), as a host reads its JobCleanup section; the tool's merged settings on top.
                environment.GetSection(JobCleanupOptions.SectionName).Bind(o);
                o.AddRoot("uploads", settings.UploadsDir.Value).AddRoot("results", settings.ResultsDir.Value);
                if (settings.TempDir is { } temp)
                {
                    o.AddRoot("temp", temp.Value);
                }

                o.SucceededRetention = TimeSpan.FromHours(settings.SuccessRetentionHours.Value);
                o.FailedRetention = TimeSpan.FromHours(settings.FailedRetentionHours.Value);
                o.DryRun = settings.DryRun; // flags win over the environment: the merged value, not JobCleanup__DryRun alone
                o.BatchSize = settings.BatchSize.Value;
                o.MaxParallelDeletions = settings.Workers.Value;
                o.BasePath = context.WorkingDirectory;
                o.MaxReportedJobs = 100_000;
                configure?.Invoke(settings, o);
            });
        if (settings.Postgres is null)
        {
            cleanup.UseStore(_ => new SqliteJobStore(StoreOptions(settings, environment, readOnly)));
        }
        else
        {
            cleanup.UseStore(_ => new PostgresJobStore(PostgresOptions(settings, environment, readOnly)));
        }

        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new UsageException(string.Join(Environment.NewLine + "error: ", ex.Failures));
        }

        return provider;
    }

    /// <summary>
    /// The config file's <c>JobCleanup</c> section and the <c>JobCleanup__*</c> variables, each read as a host reads its
    /// <c>JobCleanup</c> section: a key that names no setting is an error with a "did you mean", durations are written
    /// <c>7d</c>, <c>12h</c> or <c>00:30:00</c>, and every problem of both is reported at once, naming the variable or the
    /// file and key. The checked values come back as one configuration, the variables over the file (the stores' sections
    /// as given), bound by the caller, where the binding source generator writes the binder; the check reads the option
    /// types' properties, which the attributes below keep in the native binary.
    /// </summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(JobCleanupOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Retention.Reaping.StaleJobOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Retention.Quarantine.QuarantineOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Retention.Cleanup.CircuitBreakerOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Retention.Artifacts.ArtifactConventionOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Retention.Policies.RetentionRuleOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(SqliteJobStoreOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(SqliteJobsTableOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(PostgresJobStoreOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(PostgresJobsTableOptions))]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The option types whose properties the check reads are kept by the DynamicDependency attributes above.")]
    internal static IConfiguration Checked(JobCleanupLayers layers)
    {
        // The stores' sections are bound by the stores below; the background section belongs to hosts. A blank value
        // is unset (the check skips it), as a host reads an empty setting.
        var fromFile = JobCleanupConfiguration.Read<JobCleanupOptions>(layers.File.GetSection(JobCleanupOptions.SectionName), JobCleanupConfiguration.ReadElsewhere, out var fileValues);
        var fromVariables = JobCleanupConfiguration.Read<JobCleanupOptions>(layers.Variables.GetSection(JobCleanupOptions.SectionName), JobCleanupConfiguration.ReadElsewhere, out var variableValues);
        var problems = fromFile.Select(p => Named(p, layers.FileKey)).Concat(fromVariables.Select(p => Hours(Named(p, JobCleanupLayers.VariableName)))).ToList();

        // The stores' sections by the same rules: a misspelt table option or status (StatusNames:Succeded) is named, not bound as nothing.
        var storeValues = new List<IConfiguration>();
        foreach (var (layer, name) in new (IConfiguration, Func<string, string>)[] { (layers.File, layers.FileKey), (layers.Variables, JobCleanupLayers.VariableName) })
        {
            problems.AddRange(JobCleanupConfiguration.Read<SqliteJobStoreOptions>(layer.GetSection($"{JobCleanupOptions.SectionName}:Sqlite"), null, out var sqlite).Select(p => Named(p, name)));
            problems.AddRange(JobCleanupConfiguration.Read<PostgresJobStoreOptions>(layer.GetSection($"{JobCleanupOptions.SectionName}:PostgreSql"), null, out var postgres).Select(p => Named(p, name)));
            storeValues.Add(sqlite);
            storeValues.Add(postgres);
        }

        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine + "error: ", problems));
        }

        // The checked values, and the sections read elsewhere as they were given, the variables over the file.
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var layer in new[] { layers.File, fileValues, storeValues[0], storeValues[1], layers.Variables, variableValues, storeValues[2], storeValues[3] })
        {
            var raw = layer == layers.File || layer == layers.Variables;
            foreach (var (key, value) in layer.AsEnumerable())
            {
                // Raw values only for the section hosts read (Background); the checked ones for everything else.
                if (value is not null && (raw ? IsBackground(key) : !ReadElsewhere(key) || storeValues.Contains(layer)))
                {
                    merged[Rooted(layer, key)] = value;
                }
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(merged).Build();

        // "JobCleanup:Quarantine:Enabled: ..." names where the user set it: "JobCleanup__Quarantine__Enabled: ..." or
        // "appsettings.json: JobCleanup:Quarantine:Enabled: ...".
        static string Named(string problem, Func<string, string> name) =>
            problem.IndexOf(": ", StringComparison.Ordinal) is var end and > 0 ? name(problem[..end]) + problem[end..] : problem;

        // A bare number in a retention variable is most likely hours from the old scripts: name the variable that takes hours.
        static string Hours(string problem)
        {
            foreach (var (variable, hours) in new[] { ("JobCleanup__SucceededRetention: ", "EEMT_SUCCESS_RETENTION_HOURS"), ("JobCleanup__FailedRetention: ", "EEMT_FAILED_RETENTION_HOURS") })
            {
                var number = problem.Split('\'') is [_, var n, ..] ? n : string.Empty;
                if (problem.StartsWith(variable, StringComparison.Ordinal) && problem.Contains("has no unit", StringComparison.Ordinal))
                {
                    return $"{problem} (or set {hours}={number} for hours)";
                }
            }

            return problem;
        }

        static bool IsBackground(string key) => key.StartsWith($"{JobCleanupOptions.SectionName}:Background:", StringComparison.OrdinalIgnoreCase);

        static bool ReadElsewhere(string key) => JobCleanupConfiguration.ReadElsewhere.Any(section =>
            key.StartsWith($"{JobCleanupOptions.SectionName}:{section}:", StringComparison.OrdinalIgnoreCase));

        // The checked values' keys are relative to the section they were read from.
        static string Rooted(IConfiguration layer, string key) =>
            layer is IConfigurationSection section && !key.StartsWith(section.Path + ":", StringComparison.OrdinalIgnoreCase) ? section.Path + ":" + key : key;
    }

    /// <summary>
    /// The store's options: a host's own table, columns and status strings come from <c>JobCleanup__Sqlite__*</c>
    /// variables (<c>JobCleanup__Sqlite__Jobs__Table=system_jobs</c>, <c>JobCleanup__Sqlite__StatusNames__Succeeded=success</c>).
    /// </summary>
    private static SqliteJobStoreOptions StoreOptions(CliSettings settings, IConfiguration environment, bool readOnly)
    {
        var options = new SqliteJobStoreOptions();
        BindEnvironment(environment, "JobCleanup:Sqlite", c => c.Bind(options));

        options.DatabasePath = settings.DatabasePath.Value;
        options.ClassicAuditRows |= settings.Compatible;
        options.CreateIfMissing = false;
        options.ReadOnly = readOnly;
        return options;
    }

    /// <summary>
    /// The PostgreSQL store's options: the connection string from <c>--postgres</c>, the rest (a host's table and columns,
    /// <c>JobCleanup__PostgreSql__Jobs__Table=executions</c>) from <c>JobCleanup__PostgreSql__*</c> variables.
    /// </summary>
    private static PostgresJobStoreOptions PostgresOptions(CliSettings settings, IConfiguration environment, bool readOnly)
    {
        var options = new PostgresJobStoreOptions();
        BindEnvironment(environment, "JobCleanup:PostgreSql", c => c.Bind(options));
        options.ConnectionString = settings.Postgres!.Value.Value;
        options.ReadOnly = readOnly;
        return options;
    }

    /// <summary>
    /// Binds the variables of <paramref name="section"/> with <paramref name="bind"/>, turning the binder's conversion
    /// errors into one line that names the variables. Each call site binds a concrete type, so the configuration binding
    /// source generator writes the binder (no reflection, native AOT keeps it).
    /// </summary>
    private static void BindEnvironment(IConfiguration environment, string section, Action<IConfiguration> bind)
    {
        try
        {
            bind(environment.GetSection(section));
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException($"{section.Replace(":", "__", StringComparison.Ordinal)}__*: {ex.Message}");
        }
    }

    /// <summary>Resolves the settings, builds the services and opens the database: what every command starts with.</summary>
    public static async Task<CliSession> OpenAsync(System.CommandLine.ParseResult parse, CommonOptions options, CliContext context, Func<CliSettings, bool> readOnly, CancellationToken cancellationToken, Action<CliSettings, JobCleanupOptions>? configure = null)
    {
        var settings = SettingsResolver.Resolve(parse, options, context);
        var services = Build(settings, context, readOnly(settings), configure);
        try
        {
            return new CliSession(settings, services, await OpenStoreAsync(services, settings, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens the database now, so a file that is not a jobs database, or a PostgreSQL server that refuses the connection,
    /// is an error that names the setting before anything runs.
    /// </summary>
    public static async Task<object> OpenStoreAsync(IServiceProvider services, CliSettings settings, CancellationToken cancellationToken)
    {
        var source = settings.Postgres?.Source ?? settings.DatabasePath.Source;
        try
        {
            if (settings.Postgres is null)
            {
                var sqlite = services.GetRequiredService<SqliteJobStore>();
                await sqlite.InitializeAsync(cancellationToken).ConfigureAwait(false);
                return sqlite;
            }

            var postgres = services.GetRequiredService<PostgresJobStore>();
            await PostgresStartup.InitializeAsync(postgres, cancellationToken).ConfigureAwait(false);
            return postgres;
        }
        catch (RetentionConfigurationException ex)
        {
            throw new UsageException($"{source}: {ex.Message}");
        }
        catch (Exception ex) when (PostgresStartup.ServerError(ex) is { } server)
        {
            // The server answered, then ended or turned away the session (a restart, a failover, too many connections),
            // and kept doing so through the retries: a runtime failure (exit 1), not a setting to correct.
            throw new RetentionException($"{source}: {PostgresStartup.Describe(server)} Nothing was changed; run again once the server accepts connections.", ex);
        }
        catch (Npgsql.PostgresException ex)
        {
            // The server answered: a refused login, a missing database, a permission it lacks.
            throw new UsageException($"{source}: the PostgreSQL server refused: {ex.MessageText} ({ex.SqlState}).");
        }
        catch (Exception ex) when (settings.Postgres is null && ex is TransientRetentionException or TimeoutException)
        {
            // SQLite answers "busy" while another process holds its write lock; the store has already waited its busy
            // timeout (JobCleanup__Sqlite__BusyTimeout), and its message names the file, the lock and the wait.
            throw new UsageException($"{source}: {char.ToLowerInvariant(ex.Message[0])}{ex.Message[1..]} Nothing was changed; run again when the other writer is done.");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TransientRetentionException or TimeoutException)
        {
            throw new UsageException($"{source}: cannot reach the PostgreSQL server ({ex.Message}).");
        }
    }
}
