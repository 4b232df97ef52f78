using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Sqlite;

namespace Retention.Cli;

/// <summary>Builds the library's services for one command, from the merged settings.</summary>
internal static class CliHost
{
    public static ServiceProvider Build(CliSettings settings, CliContext context, bool readOnly, Action<JobCleanupOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context.Now);
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(settings.Debug ? LogLevel.Debug : LogLevel.Information);
            if (settings.Verbose && !settings.Json)
            {
                logging.AddProvider(new SeedLoggerProvider(context.Out));
            }
        });
        services.AddJobCleanup(o =>
            {
                o.AddRoot("uploads", settings.UploadsDir.Value).AddRoot("results", settings.ResultsDir.Value);
                if (settings.TempDir is { } temp)
                {
                    o.AddRoot("temp", temp.Value);
                }

                o.SucceededRetention = TimeSpan.FromHours(settings.SuccessRetentionHours.Value);
                o.FailedRetention = TimeSpan.FromHours(settings.FailedRetentionHours.Value);
                o.BatchSize = settings.BatchSize.Value;
                o.MaxParallelDeletions = settings.Workers.Value;
                o.BasePath = context.WorkingDirectory;
                o.MaxReportedJobs = 100_000;
                configure?.Invoke(o);
            })
            .UseStore(_ => new SqliteJobStore(new SqliteJobStoreOptions
            {
                DatabasePath = settings.DatabasePath.Value,
                CreateIfMissing = false,
                ReadOnly = readOnly,
            }));
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new UsageException(ex.Failures.First());
        }

        return provider;
    }

    /// <summary>Resolves the settings, builds the services and opens the database: what every command starts with.</summary>
    public static async Task<CliSession> OpenAsync(System.CommandLine.ParseResult parse, CommonOptions options, CliContext context, Func<CliSettings, bool> readOnly, CancellationToken cancellationToken, Action<JobCleanupOptions>? configure = null)
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

    /// <summary>Opens the database now, so a file that is not a jobs database is a usage error before anything runs.</summary>
    public static async Task<SqliteJobStore> OpenStoreAsync(IServiceProvider services, CliSettings settings, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<SqliteJobStore>();
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RetentionConfigurationException ex)
        {
            throw new UsageException($"{settings.DatabasePath.Source}: {ex.Message}");
        }

        return store;
    }
}
