using System.Diagnostics;
using System.Threading.Channels;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Resilience;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Records processed batches in order: one store write marks the jobs whose due data is all gone (another purges the
/// records a rule deletes), then the batch is counted. It takes every batch waiting when it is free, so when marking is
/// the slower stage its transactions grow instead of queueing up (group commit).
/// </summary>
internal sealed class BatchRecorder(CleanupEngine engine)
{
    /// <summary>
    /// Records until the queue completes. On an error it closes the queue, so the engine stops before deleting more than it
    /// can record, and keeps track of every job whose data was deleted but is not recorded: the batch it failed on and
    /// those still queued.
    /// </summary>
    public async Task RecordAllAsync(RunState run, Channel<JobResult?[]> processed)
    {
        await Task.Yield();
        try
        {
            var group = new List<JobResult?>();
            while (await processed.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                group.Clear();
                while (processed.Reader.TryRead(out var results))
                {
                    group.AddRange(results);
                }

                await RecordAsync(run, group).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            run.Recording.Close();
            processed.Writer.TryComplete(ex);
            while (processed.Reader.TryRead(out var queued))
            {
                run.AddUnrecorded(queued);
            }

            throw;
        }
    }

    private async Task RecordAsync(RunState run, IReadOnlyList<JobResult?> results)
    {
        var toMark = new List<JobDataCleaned>();
        var toPurge = new List<JobDataCleaned>();
        foreach (var result in results)
        {
            if (result is null || !result.Mark)
            {
                continue;
            }

            var decision = result.Decision!;
            var job = decision.Job;
            var tombstone = new JobDataCleaned(job.Id, job.Status, run.Now, result.BytesFreed(), result.Artifacts.Count, decision.DecidingRule?.Name, run.RequestedBy) { ExpectedVersion = job.Version };
            (result.PurgeRecord ? toPurge : toMark).Add(tombstone);
        }

        // Not cancellable: these jobs' data is already gone, and the store must say so.
        if (!run.DryRun && toMark.Count > 0)
        {
            run.ReportProgress(CleanupStage.Recording);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await UntilRecordedAsync(run, toMark.Count, "mark jobs cleaned", ct => engine.Stores.Jobs.MarkDataCleanedAsync(toMark, ct)).ConfigureAwait(false);
            }
            catch
            {
                run.AddUnrecorded(results);
                throw;
            }

            Log.StoreWriteTimed(engine.Logger, "marked cleaned", toMark.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Log.JobsMarked(engine.Logger, toMark.Count);
        }

        if (!run.DryRun && toPurge.Count > 0)
        {
            try
            {
                await UntilRecordedAsync(run, toPurge.Count, "purge job records", ct => engine.Stores.Purge!.PurgeJobsAsync(toPurge, ct)).ConfigureAwait(false);
            }
            catch
            {
                run.AddUnrecorded(results.Where(r => r is { PurgeRecord: true }));
                throw;
            }

            Log.JobsPurged(engine.Logger, toPurge.Count);
        }

        foreach (var result in results)
        {
            if (result is not null)
            {
                run.Add(result, engine.Metrics);
            }
        }

        run.ReportProgress(CleanupStage.Scanning);
    }

    /// <summary>
    /// A store write that records deletions already made. Beyond the resilience pipeline's own retries, a transient failure
    /// (a locked database) is retried with growing pauses until <see cref="JobCleanupOptions.RecordingTimeout"/> has passed
    /// since the first failure, holding back further deletions meanwhile: the data is gone, so the record must follow, in
    /// this run if the lock clears in time. A failure that is not transient, or one that outlasts the timeout, is thrown.
    /// </summary>
    private async Task UntilRecordedAsync(RunState run, int count, string operation, Func<CancellationToken, ValueTask> write)
    {
        var time = engine.Time;
        DateTimeOffset? giveUpAt = null;
        var delay = JobCleanupDefaults.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await engine.ExecuteAsync(operation, write).ConfigureAwait(false);
                if (giveUpAt is not null)
                {
                    Log.RecordingRecovered(engine.Logger, count, attempt);
                    run.Recording.Resume();
                }

                return;
            }
            catch (Exception ex) when (RetentionResilience.IsTransient(ex) && (giveUpAt ??= time.GetUtcNow() + engine.Options.RecordingTimeout) > time.GetUtcNow())
            {
                run.Recording.Stall();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, JobCleanupDefaults.RecordingRetryMaxDelay.Ticks));
                var wait = TimeSpan.FromTicks(Math.Clamp((giveUpAt.Value - time.GetUtcNow()).Ticks, 0, delay.Ticks));
                Log.RecordingRetrying(engine.Logger, count, ex.Message, wait.TotalSeconds, RetentionPeriod.Describe(engine.Options.RecordingTimeout));
                await Task.Delay(wait, time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
