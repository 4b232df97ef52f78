using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Configuration;
using Retention.Hosting;
using Retention.Hosting.Notifications;
using Retention.Hosting.Orphans;
using Retention.Hosting.Reaping;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Status;
using Retention.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the hosted background work to <see cref="IJobCleanupBuilder"/>.</summary>
public static class BackgroundCleanupBuilderExtensions
{
    /// <summary>
    /// Keeps the host clean by itself: scheduled cleanups (daily at 02:00 unless <see cref="BackgroundCleanupOptions.Enabled"/> is false or another schedule is set), the stale-job reaper,
    /// the start-up reset, orphan sweeps, the <c>retention.storage.held</c> gauge and <see cref="ICleanupTrigger"/>. Options bind from
    /// <c>JobCleanup:Background</c> in the host's configuration, then from <paramref name="configure"/>; they are validated when the host starts.
    /// Nothing runs in the <c>Testing</c> environment unless <see cref="BackgroundCleanupOptions.RunInTesting"/> is set. Calling it again registers nothing twice.
    /// </summary>
    /// <param name="builder">The builder <c>AddJobCleanup()</c> returned.</param>
    /// <param name="configure">Configures the options after binding.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder AddBackgroundCleanup(this IJobCleanupBuilder builder, Action<BackgroundCleanupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(ScheduledCleanupService)))
        {
            // Bound once, however often this is called: unknown keys and bad values are reported at start with the rest.
            services.AddOptions<BackgroundCleanupOptions>()
                .Configure<IConfiguration>((o, configuration) =>
                {
                    o.ConfigurationProblems.AddRange(JobCleanupConfiguration.Bind(configuration.GetSection(BackgroundCleanupOptions.SectionName), o, readElsewhere: ["Webhook"]));

                    // EEMT_ENABLE_AUTO_CLEANUP and EEMT_CLEANUP_SCHEDULE stand for Enabled and Schedule when those are not set.
                    ScheduleAliases.Apply(o, configuration);
                })
                .ValidateOnStart();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackgroundCleanupOptions>, BackgroundCleanupOptionsValidator>());

        // Relative roots resolve against the host's content root, not whatever the working folder happens to be.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Retention.JobCleanupOptions>, ContentRootBasePath>());
        services.TryAddSingleton(sp => BackgroundCleanupSettings.Resolve(sp.GetRequiredService<IOptions<BackgroundCleanupOptions>>().Value));
        services.TryAddSingleton<ScheduledCleanupService>();
        services.TryAddSingleton<StaleJobReaperService>();
        services.TryAddSingleton<StartupResetService>();
        services.TryAddSingleton<OrphanSweepService>();
        services.TryAddSingleton<StorageUsageGauge>();
        services.TryAddSingleton<OutlookMonitor>();
        services.TryAddSingleton<CleanupTrigger>();
        services.TryAddSingleton<ICleanupTrigger>(sp => sp.GetRequiredService<CleanupTrigger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICleanupScheduleState, ScheduledCleanupService>(sp => sp.GetRequiredService<ScheduledCleanupService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICleanupNotifier, StorageUsageGauge>(sp => sp.GetRequiredService<StorageUsageGauge>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICleanupNotifier, OutlookMonitor>(sp => sp.GetRequiredService<OutlookMonitor>()));

        // Validation before any other of these services is built, so every option group's problems are reported together.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StartupValidation>());

        // The start-up reset first: as a lifecycle service it runs in the host's "starting" step, before any service starts.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StartupResetService>(sp => sp.GetRequiredService<StartupResetService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StaleJobReaperService>(sp => sp.GetRequiredService<StaleJobReaperService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ScheduledCleanupService>(sp => sp.GetRequiredService<ScheduledCleanupService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OrphanSweepService>(sp => sp.GetRequiredService<OrphanSweepService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StorageUsageGauge>(sp => sp.GetRequiredService<StorageUsageGauge>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutlookMonitor>(sp => sp.GetRequiredService<OutlookMonitor>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CleanupTrigger>(sp => sp.GetRequiredService<CleanupTrigger>()));
        return builder;
    }

    /// <summary>
    /// Posts a Slack-compatible summary of each run to a webhook through <see cref="System.Net.Http.IHttpClientFactory"/> (client name
    /// <see cref="WebhookNotifierOptions.HttpClientName"/>). Options bind from <c>JobCleanup:Background:Webhook</c>, then from <paramref name="configure"/>;
    /// a missing or relative URL fails the start. A failed post is logged, never failing the run.
    /// </summary>
    /// <param name="builder">The builder <c>AddJobCleanup()</c> returned.</param>
    /// <param name="configure">Configures the options after binding.</param>
    /// <returns>The builder.</returns>
    public static IJobCleanupBuilder AddWebhookNotifier(this IJobCleanupBuilder builder, Action<WebhookNotifierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(ICleanupNotifier) && d.ImplementationType == typeof(WebhookCleanupNotifier)))
        {
            services.AddOptions<WebhookNotifierOptions>()
                .Configure<IConfiguration>((o, configuration) => o.ConfigurationProblems.AddRange(
                    JobCleanupConfiguration.Bind(configuration.GetSection(BackgroundCleanupOptions.SectionName + ":Webhook"), o)))
                .ValidateOnStart();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddHttpClient(WebhookNotifierOptions.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookNotifierOptions>, WebhookNotifierOptionsValidator>());
        services.TryAddSingleton<WebhookCleanupNotifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICleanupNotifier, WebhookCleanupNotifier>(sp => sp.GetRequiredService<WebhookCleanupNotifier>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeletionNoticeNotifier, WebhookCleanupNotifier>(sp => sp.GetRequiredService<WebhookCleanupNotifier>()));
        return builder;
    }
}
