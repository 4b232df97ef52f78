using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retention;
using Retention.Cleanup;
using Retention.Cleanup.Pipeline;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Reaping;
using Retention.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the job cleanup services.</summary>
public static class JobCleanupServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cleanup engine (<see cref="IJobCleaner"/>, <see cref="IJobExplainer"/>, <see cref="ICleanupStatus"/>), holds (<see cref="Retention.Holds.IJobHolds"/>), the stale-job reaper (<see cref="IStaleJobReaper"/>) and the
    /// safe deleter (<see cref="ISafeDeleter"/>), with options configured in code. Options are validated when the host starts.
    /// Calling it again adds configuration but registers nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to plug in a store.</returns>
    // The Microsoft.Extensions shape (AddX(configure) beside AddX(configuration, configure)); the first parameters differ
    // in type, so no call is ambiguous.
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The Microsoft.Extensions registration shape; the overloads differ in their first parameter's type.")]
    public static IJobCleanupBuilder AddJobCleanup(this IServiceCollection services, Action<JobCleanupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<JobCleanupOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobCleanupOptions>, JobCleanupOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RetentionMetrics(sp.GetService<IMeterFactory>()));

        // What the options mean (the policy, conventions, statuses), resolved once for every service that needs it.
        services.TryAddSingleton(sp => JobCleanupSettings.Resolve(Options(sp)));
        services.TryAddSingleton(sp => CreateDeleter(Options(sp), Logger<SafeDeleter>(sp)));
        services.TryAddSingleton<ISafeDeleter>(sp => sp.GetRequiredService<SafeDeleter>());
        services.TryAddSingleton<Retention.Quarantine.IJobQuarantine>(sp => new Retention.Quarantine.JobQuarantine(sp.GetRequiredService<SafeDeleter>(), Options(sp), sp.GetRequiredService<JobCleanupSettings>(), sp.GetRequiredService<TimeProvider>(), Logger<Retention.Quarantine.JobQuarantine>(sp)));
        services.TryAddSingleton(sp => new CleanupStatusTracker(() => sp.GetServices<Retention.Scheduling.ICleanupScheduleState>()));
        services.TryAddSingleton<ICleanupStatus>(sp => sp.GetRequiredService<CleanupStatusTracker>());
        services.TryAddSingleton<IJobCleaner>(sp => sp.GetRequiredService<JobCleaner>());
        services.TryAddSingleton<IJobExplainer>(sp => sp.GetRequiredService<JobCleaner>());
        services.TryAddSingleton(sp => new CleanupEngine(
            CleanupStores.From(sp, Require<IJobStore>(sp)),
            Retention.Quarantine.QuarantiningDeleter.For(sp.GetRequiredService<ISafeDeleter>(), sp.GetRequiredService<Retention.Quarantine.IJobQuarantine>(), Options(sp).Quarantine),
            sp.GetRequiredService<Retention.Quarantine.IJobQuarantine>(),
            Options(sp),
            sp.GetRequiredService<JobCleanupSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            Logger<JobCleaner>(sp),
            sp.GetRequiredService<RetentionMetrics>(),
            sp.GetRequiredService<CleanupStatusTracker>(),
            sp.GetServices<ICleanupNotifier>()));
        services.TryAddSingleton<JobCleaner>();
        services.TryAddSingleton<Retention.Holds.IJobHolds>(sp => new Retention.Holds.JobHolds(
            Require<IJobStore>(sp), sp.GetService<IJobHoldStore>(), sp.GetService<IJobLookupStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Retention.Orphans.IOrphanSweeper>(sp => new Retention.Orphans.OrphanSweeper(
            Require<IReferencedPathStore>(sp),
            sp.GetRequiredService<ISafeDeleter>(),
            Options(sp),
            sp.GetRequiredService<JobCleanupSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RetentionMetrics>()));
        services.TryAddSingleton<IStaleJobReaper>(sp => new StaleJobReaper(
            Require<IStaleJobStore>(sp),
            Options(sp),
            sp.GetRequiredService<JobCleanupSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            Logger<StaleJobReaper>(sp),
            sp.GetRequiredService<RetentionMetrics>()));
        return new JobCleanupBuilder(services);
    }

    /// <summary>
    /// Registers the cleanup services with options bound from <paramref name="configuration"/> (pass the <c>JobCleanup</c> section),
    /// then from <paramref name="configure"/>, so code overrides configuration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>JobCleanup</c> configuration section.</param>
    /// <param name="configure">Configures the options after binding.</param>
    /// <returns>A builder to plug in a store.</returns>
    /// <remarks>
    /// Binding follows <see cref="Retention.Configuration.JobCleanupConfiguration"/>: a key that names no setting is an error,
    /// durations are written <c>7d</c>, <c>12h</c> or <c>00:30:00</c>, and every problem is reported at start together with
    /// the validation's. It reads <see cref="JobCleanupOptions"/> by reflection, as <c>Configure&lt;TOptions&gt;(IConfiguration)</c> does. A host
    /// published trimmed or as native AOT binds in its own code instead (with the configuration binding source generator)
    /// and calls <see cref="AddJobCleanup(IServiceCollection, Action{JobCleanupOptions}?)"/>.
    /// </remarks>
    [RequiresUnreferencedCode("Binds JobCleanupOptions by reflection. Trimmed or native AOT hosts bind in their own code and call AddJobCleanup(configure).")]
    [RequiresDynamicCode("Binds JobCleanupOptions by reflection. Trimmed or native AOT hosts bind in their own code and call AddJobCleanup(configure).")]
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The Microsoft.Extensions registration shape; the overloads differ in their first parameter's type.")]
    public static IJobCleanupBuilder AddJobCleanup(this IServiceCollection services, IConfiguration configuration, Action<JobCleanupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<JobCleanupOptions>(o => o.ConfigurationProblems.AddRange(
            Retention.Configuration.JobCleanupConfiguration.Bind(configuration, o, Retention.Configuration.JobCleanupConfiguration.ReadElsewhere)));
        return services.AddJobCleanup(configure);
    }

    // Each root as resolved, once: a relative root's absolute place is in the log, not left to the reader to work out.
    private static SafeDeleter CreateDeleter(JobCleanupOptions options, ILogger logger)
    {
        var deleter = new SafeDeleter(new DeletionRoots(options.Roots.Values, options.BasePath), options.Quarantine?.FolderName);
        foreach (var (name, path) in options.Roots)
        {
            Log.DeletionRoot(logger, name, DeletionRoots.Resolve(path, options.BasePath) ?? path);
        }

        if (OperatingSystem.IsLinux() && !Retention.Deletion.Linux.DescriptorDeleter.IsSupported)
        {
            Log.PathWalkInUse(logger);
        }

        return deleter;
    }

    private static JobCleanupOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<JobCleanupOptions>>().Value;

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() as ILogger<T> ?? NullLogger<T>.Instance;

    private static T Require<T>(IServiceProvider services)
        where T : class =>
        services.GetService<T>() ?? throw new RetentionConfigurationException(
            $"No store implementing {typeof(T).Name} is registered: call UseInMemoryStore() or UseStore<TStore>() on the builder that AddJobCleanup() returns, with a store that implements {typeof(T).Name}.");
}
