using System.Diagnostics;
using System.Threading.Channels;
using Retention.Diagnostics;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Records processed batches in order: one store write marks the jobs whose due data is all gone (another purges the
/// records a rule deletes), then the batch is counted. It takes every batch waiting when it is free, so when marking is
/// the slower stage its transactions grow instead of queueing up (group commit).
/// </summary>
internal sealed class BatchRecorder(CleanupEngine engine)
{
    /// <summary>Records until the queue completes. On an error it closes the queue, so the engine stops before deleting more than it can record.</summary>
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
            processed.Writer.TryComplete(ex);
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
            await engine.ExecuteAsync("mark jobs cleaned", ct => engine.Stores.Jobs.MarkDataCleanedAsync(toMark, ct)).ConfigureAwait(false);
            Log.StoreWriteTimed(engine.Logger, "marked cleaned", toMark.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Log.JobsMarked(engine.Logger, toMark.Count);
        }

        if (!run.DryRun && toPurge.Count > 0)
        {
            await engine.ExecuteAsync("purge job records", ct => engine.Stores.Purge!.PurgeJobsAsync(toPurge, ct)).ConfigureAwait(false);
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
}
