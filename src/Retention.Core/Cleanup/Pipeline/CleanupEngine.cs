using Microsoft.Extensions.Logging;
using Polly;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Quarantine;

namespace Retention.Cleanup.Pipeline;

/// <summary>What every run of one cleaner shares: the stores, the deleter, the settings resolved once, the clock, logs and metrics.</summary>
internal sealed class CleanupEngine
{
    public CleanupEngine(
        CleanupStores stores,
        ISafeDeleter deleter,
        IJobQuarantine quarantine,
        JobCleanupOptions options,
        JobCleanupSettings settings,
        TimeProvider time,
        ILogger logger,
        RetentionMetrics metrics,
        CleanupStatusTracker status,
        IEnumerable<ICleanupNotifier> notifiers)
    {
        Stores = stores;
        Deleter = deleter;
        Quarantine = quarantine;
        Options = options;
        Settings = settings;
        Time = time;
        Logger = logger;
        Metrics = metrics;
        Status = status;
        Notifiers = notifiers.ToArray();
        Resilience = options.ResiliencePipeline ?? Retention.Resilience.RetentionResilience.CreateDefaultPipeline(time, logger);
        BasePath = Path.GetFullPath(options.BasePath ?? Environment.CurrentDirectory);
    }

    public CleanupStores Stores { get; }

    /// <summary>The one deleter a run uses for job data: staged through the quarantine when that is enabled.</summary>
    public ISafeDeleter Deleter { get; }

    /// <summary>The quarantine, whose expired data each run purges first.</summary>
    public IJobQuarantine Quarantine { get; }

    public JobCleanupOptions Options { get; }

    public JobCleanupSettings Settings { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public RetentionMetrics Metrics { get; }

    public CleanupStatusTracker Status { get; }

    public ICleanupNotifier[] Notifiers { get; }

    /// <summary>Retries transient failures of deletions and store writes.</summary>
    public ResiliencePipeline Resilience { get; }

    /// <summary>What relative artifact paths are resolved against.</summary>
    public string BasePath { get; }

    /// <summary>
    /// Which of the jobs are still the run's and unchanged since they were read (re-queued, cleaned by another instance,
    /// or their claim lapsed and was taken: not). Confirming also renews the claims for the jobs' own deletions.
    /// </summary>
    public async Task<IReadOnlySet<string>> ConfirmClaimsAsync(string claimOwner, IReadOnlyList<JobRecord> jobs)
    {
        IReadOnlySet<string> confirmed = new HashSet<string>();
        await ExecuteAsync("confirm claim", async ct => confirmed = await Stores.Claims!.ConfirmClaimsAsync(claimOwner, jobs, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return confirmed;
    }

    /// <summary>A store call through the resilience pipeline, never cancelled halfway: what it records has already happened.</summary>
    public async ValueTask ExecuteAsync(string operation, Func<CancellationToken, ValueTask> action)
    {
        var context = ResilienceContextPool.Shared.Get(operation, CancellationToken.None);
        try
        {
            await Resilience.ExecuteAsync(static (ctx, a) => a(ctx.CancellationToken), context, action).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
