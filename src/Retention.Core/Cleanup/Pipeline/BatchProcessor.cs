using Retention.Artifacts;
using Retention.Diagnostics;
using Retention.Policies;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// One batch of candidates: each planned in turn; a job with nothing to delete finished on the spot; the jobs with
/// deletions run in parallel (bounded). Under claims, the claims of jobs with nothing to delete are confirmed together.
/// </summary>
internal sealed class BatchProcessor(CleanupEngine engine, JobPlanner planner, JobExecutor executor)
{
    /// <summary>The batch's results, in candidate order (null where a cancellation came first), and whether it was cancelled.</summary>
    public async Task<(JobResult?[] Results, bool Cancelled)> ProcessAsync(RunState run, List<JobRecord> batch, ConventionArtifactLocator locator, CancellationToken cancellationToken)
    {
        using var activity = RetentionTelemetry.ActivitySource.StartActivity("retention.batch");
        activity?.SetTag("retention.batch.jobs", batch.Count);
        run.ReportProgress(CleanupStage.Deleting);
        var results = new JobResult?[batch.Count];

        // Planned one after another (locating and evaluating touch no data); a job with nothing to delete is finished
        // on the spot, and only jobs with deletions go to the parallel loop: a task per job cost more than the job itself
        // when most due jobs' data is long gone.
        var deletions = new List<Planned>();
        var idle = new List<Planned>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (results, true);
            }

            try
            {
                var (done, job, decision) = await planner.PlanAsync(run, batch[i], locator).ConfigureAwait(false);
                if (done is not null)
                {
                    results[i] = done;
                }
                else if (!decision!.HasDueArtifacts && run.ClaimOwner is null)
                {
                    results[i] = await executor.ExecuteAsync(run, batch[i], job!, decision).ConfigureAwait(false);
                }
                else if (!decision.HasDueArtifacts)
                {
                    idle.Add(new Planned(i, job!, decision));
                }
                else
                {
                    deletions.Add(new Planned(i, job!, decision));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[i] = executor.Error(batch[i], ex);
            }
        }

        if (run.ClaimOwner is not null)
        {
            await ReleaseLeftAloneAsync(run, results).ConfigureAwait(false);
        }

        if (idle.Count > 0)
        {
            await FinishIdleClaimedAsync(run, batch, idle, results).ConfigureAwait(false);
        }

        if (deletions.Count > 0 && engine.Stores.Holds is { } holds)
        {
            deletions = await LeaveOutHeldAsync(run, holds, batch, deletions, results).ConfigureAwait(false);
        }

        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = engine.Options.MaxParallelDeletions, CancellationToken = cancellationToken };

            // The token stops new jobs from starting; a job that has started finishes, so none is left half-deleted and unrecorded.
            await Parallel.ForEachAsync(deletions, parallel, async (d, _) =>
            {
                try
                {
                    results[d.Index] = await executor.ExecuteAsync(run, batch[d.Index], d.Job, d.Decision).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    results[d.Index] = executor.Error(batch[d.Index], ex);
                }
            }).ConfigureAwait(false);
            return (results, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (results, true);
        }
    }

    // A hold placed after the batch was read (planned, even claimed) still stops its deletions: the holds of the jobs about
    // to be deleted are read again just before, in one read for the batch rather than one per job.
    private async Task<List<Planned>> LeaveOutHeldAsync(RunState run, IJobHoldStore store, List<JobRecord> batch, List<Planned> deletions, JobResult?[] results)
    {
        IReadOnlyList<JobHold> holds = [];
        try
        {
            var ids = deletions.ConvertAll(d => d.Job.Id);
            await engine.ExecuteAsync("read holds", async ct => holds = await store.GetHoldsOfJobsAsync(ids, run.Now, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not knowing whether a job is held, none of them is deleted.
            foreach (var d in deletions)
            {
                results[d.Index] = executor.Error(batch[d.Index], ex);
            }

            return [];
        }

        if (holds.Count == 0)
        {
            return deletions;
        }

        var byJob = holds.GroupBy(h => h.JobId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<JobHold>)[.. g], StringComparer.Ordinal);
        var left = new List<Planned>(deletions.Count);
        foreach (var d in deletions)
        {
            if (byJob.TryGetValue(d.Job.Id, out var jobHolds))
            {
                results[d.Index] = executor.Held(run, d.Job, jobHolds);
            }
            else
            {
                left.Add(d);
            }
        }

        return left;
    }

    // Claimed jobs with nothing left to delete: one confirmation for all of them (a round trip per job was most of a run
    // whose due data is long gone), then each is finished on the spot. One that changed since it was read is left alone.
    private async Task FinishIdleClaimedAsync(RunState run, List<JobRecord> batch, List<Planned> idle, JobResult?[] results)
    {
        IReadOnlySet<string> confirmed;
        try
        {
            confirmed = await engine.ConfirmClaimsAsync(run.ClaimOwner!, idle.ConvertAll(d => batch[d.Index])).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var d in idle)
            {
                results[d.Index] = executor.Error(batch[d.Index], ex);
            }

            return;
        }

        foreach (var d in idle)
        {
            try
            {
                results[d.Index] = confirmed.Contains(d.Job.Id)
                    ? await executor.ExecuteAsync(run, batch[d.Index], d.Job, d.Decision, claimConfirmed: true).ConfigureAwait(false)
                    : executor.ChangedSincePlanned(batch[d.Index]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[d.Index] = executor.Error(batch[d.Index], ex);
            }
        }
    }

    // Jobs the plan leaves alone (not due yet, protected, nothing due) go back to the pool now, not at the end of the run:
    // another replica need not wait for a claim that serves nothing. A release that fails is logged; the run releases
    // everything it still holds at its end.
    private async Task ReleaseLeftAloneAsync(RunState run, JobResult?[] results)
    {
        var ids = new List<string>();
        foreach (var result in results)
        {
            if (result is { Outcome: JobCleanupOutcome.Skipped or JobCleanupOutcome.Protected })
            {
                ids.Add(result.Job.Id);
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await engine.ExecuteAsync("release claims", ct => engine.Stores.Claims!.ReleaseJobClaimsAsync(run.ClaimOwner!, ids, ct)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ClaimReleaseFailed(engine.Logger, ex, run.RunId, ex.Message);
        }
    }

    /// <summary>A job with a plan: its place in the batch, its artifacts and the decision.</summary>
    private readonly record struct Planned(int Index, JobRecord Job, JobRetentionDecision Decision);
}
