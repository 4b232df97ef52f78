using Microsoft.Extensions.Logging;
using Polly;
using Retention.Diagnostics;
using Retention.Stores;

namespace Retention.Reaping;

/// <summary>
/// The default <see cref="IStaleJobReaper"/>: scan, then one compare-and-set update per job; or, when the store implements
/// <see cref="IBulkStaleJobStore"/>, one conditional update for all of them.
/// </summary>
internal sealed class StaleJobReaper : IStaleJobReaper
{
    private readonly IStaleJobStore _store;
    private readonly StaleJobOptions _options;
    private readonly JobCleanupSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetentionMetrics _metrics;
    private readonly ResiliencePipeline _pipeline;

    public StaleJobReaper(IStaleJobStore store, JobCleanupOptions options, JobCleanupSettings settings, TimeProvider timeProvider, ILogger<StaleJobReaper> logger, RetentionMetrics metrics)
    {
        _store = store;
        _options = options.StaleJobs;
        _settings = settings;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _pipeline = options.ResiliencePipeline ?? Resilience.RetentionResilience.CreateDefaultPipeline(timeProvider, logger);
    }

    public Task<ReapReport> ReapStuckJobsAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var query = new StaleJobQuery(_settings.StaleStatuses, now - (_options.ExecutionTimeout + _options.Buffer));
        return ReapAsync(ReapMode.Runtime, query, now, cancellationToken);
    }

    public Task<ReapReport> ReapAtStartupAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return ReapAsync(ReapMode.Startup, new StaleJobQuery(_settings.StartupStatuses, StartedBefore: null), now, cancellationToken);
    }

    private async Task<ReapReport> ReapAsync(ReapMode mode, StaleJobQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_store is IBulkStaleJobStore bulk)
        {
            return await ReapInOneUpdateAsync(bulk, mode, query, now, cancellationToken).ConfigureAwait(false);
        }

        var stale = new List<JobRecord>();
        await foreach (var job in _store.GetStaleJobsAsync(query, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // Re-check what the store returned: only the asked-for statuses, and at run time only those past the cutoff.
            if (query.Matches(job))
            {
                stale.Add(job);
            }
        }

        LogFound(mode, query, stale.Count);

        var reaped = new List<ReapedJob>();
        var changed = 0;
        foreach (var job in stale)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var runtime = now - (job.StartedAt ?? job.CreatedAt);
            var message = Message(mode, job, now);
            LogReaping(mode, job, now);

            var failure = new JobFailure(job.Id, job.Status, message, now);
            var context = ResilienceContextPool.Shared.Get("fail stuck job", cancellationToken);
            bool failed;
            try
            {
                failed = await _pipeline.ExecuteAsync(static (ctx, state) => state.Store.TryFailJobAsync(state.Failure, ctx.CancellationToken), context, (Store: _store, Failure: failure)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            if (failed)
            {
                reaped.Add(new ReapedJob(job.Id, job.JobType, job.Status, runtime, message));
                _metrics.JobsReaped.Add(1, new KeyValuePair<string, object?>("mode", mode == ReapMode.Runtime ? "runtime" : "startup"));
            }
            else
            {
                changed++;
                Log.StuckJobChanged(_logger, job.Id);
            }
        }

        LogDone(mode, stale.Count, reaped.Count);

        return new ReapReport(mode, now, stale.Count, reaped, changed);
    }

    // The store decides, in one statement, which jobs are still stale; a job that completed meanwhile is simply not among them.
    private async Task<ReapReport> ReapInOneUpdateAsync(IBulkStaleJobStore store, ReapMode mode, StaleJobQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get("fail stale jobs", cancellationToken);
        IReadOnlyList<JobRecord> failed;
        try
        {
            failed = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.store.FailStaleJobsAsync(state.query, state.now, job => Message(state.mode, job, state.now), ctx.CancellationToken),
                context,
                (store, query, now, mode)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        LogFound(mode, query, failed.Count);

        var reaped = new List<ReapedJob>(failed.Count);
        foreach (var job in failed)
        {
            LogReaping(mode, job, now);
            reaped.Add(new ReapedJob(job.Id, job.JobType, job.Status, now - (job.StartedAt ?? job.CreatedAt), Message(mode, job, now)));
            _metrics.JobsReaped.Add(1, new KeyValuePair<string, object?>("mode", mode == ReapMode.Runtime ? "runtime" : "startup"));
        }

        LogDone(mode, failed.Count, reaped.Count);

        return new ReapReport(mode, now, failed.Count, reaped, 0);
    }

    // The messages for a stuck execution and for a job reset at start-up, as operators know them.
    private static string Message(ReapMode mode, JobRecord job, DateTimeOffset now)
    {
        var clock = Durations.ToClock(now - (job.StartedAt ?? job.CreatedAt));
        return mode == ReapMode.Runtime
            ? $"Execution stuck for {clock}. Automatically terminated by cleanup job."
            : $"Job reset during startup (was {job.Status.ToWord()} for {clock}). This usually means the process was restarted while the job was in progress.";
    }

    private void LogFound(ReapMode mode, StaleJobQuery query, int found)
    {
        if (mode == ReapMode.Startup)
        {
            if (found == 0)
            {
                Log.StartupNothingStale(_logger);
            }
            else
            {
                Log.StartupResetting(_logger, found, string.Join("/", query.Statuses.Select(s => s.ToWord().ToUpperInvariant())));
            }
        }
        else if (found > 0)
        {
            Log.StuckJobsFound(_logger, found);
        }
    }

    private void LogDone(ReapMode mode, int found, int reaped)
    {
        if (mode == ReapMode.Startup && found > 0)
        {
            Log.StartupCompleted(_logger, reaped);
        }
        else if (mode == ReapMode.Runtime && reaped > 0)
        {
            Log.StuckJobsReaped(_logger, reaped);
        }
    }

    private void LogReaping(ReapMode mode, JobRecord job, DateTimeOffset now)
    {
        if (mode == ReapMode.Runtime)
        {
            Log.MarkingStuckJob(_logger, job.Id, Durations.ToClock(now - (job.StartedAt ?? job.CreatedAt)));
        }
        else
        {
            Log.StartupClearingJob(_logger, job.Id, job.JobType ?? "untyped");
        }
    }
}
