using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Policies;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// From a decision to deletions: each due artifact deleted (or measured, or quarantined) through the deleter, retried
/// while the failure is transient, then the job's result: cleaned only when every due artifact is gone. The circuit
/// breaker is asked before a job starts and told what it freed.
/// </summary>
internal sealed class JobExecutor(CleanupEngine engine)
{
    public async Task<JobResult> ExecuteAsync(RunState run, JobRecord candidate, JobRecord job, JobRetentionDecision decision, bool claimConfirmed = false)
    {
        if (!run.Breaker.TryStartJob())
        {
            // A limit was reached: the job is left for the next run, untouched.
            return JobResult.Skipped(candidate, "circuit breaker: this run's limit is reached");
        }

        // Just before a job's first deletion, so the claim is as fresh as it can be for the deletion itself.
        if (run.ClaimOwner is not null && !claimConfirmed && !(await engine.ConfirmClaimsAsync(run.ClaimOwner, [candidate]).ConfigureAwait(false)).Contains(candidate.Id))
        {
            return ChangedSincePlanned(candidate);
        }

        var artifacts = new List<ArtifactCleanupResult>();
        var allGone = true;
        var announced = false;
        foreach (var artifactDecision in decision.Artifacts)
        {
            if (artifactDecision.Verdict != ArtifactVerdict.Delete)
            {
                continue;
            }

            var artifact = artifactDecision.Artifact;
            if (Contains(decision.Artifacts, artifact, ArtifactVerdict.Delete))
            {
                continue; // inside another due artifact: deleted (and counted) with it
            }

            var result = FindKeptInside(decision.Artifacts, artifact) is { } kept
                ? new DeletionResult(artifact.Path, DeletionOutcome.Refused, Reason: $"it holds '{kept.Artifact.Path}', which is kept ({kept.Reason})")
                : await DeleteAsync(job.Id, artifact.Path, run.DryRun).ConfigureAwait(false);
            if (!announced && result.Outcome != DeletionOutcome.Missing)
            {
                // Announced on the first artifact that is really there, so jobs whose due data is long gone stay quiet.
                Announce(decision, run.DryRun);
                announced = true;
            }

            allGone &= result.IsGone;
            LogArtifact(job.Id, result, run.DryRun);
            artifacts.Add(new ArtifactCleanupResult(artifact.Kind, artifact.Path, result.Outcome, result.Bytes, result.Reason) { IsDirectory = result.IsDirectory, AllocatedBytes = result.AllocatedBytes });
        }

        if (!announced && !decision.HasPendingArtifacts)
        {
            Announce(decision, run.DryRun);
        }

        run.Breaker.Freed(artifacts.Sum(a => a.Bytes));
        if (!allGone)
        {
            return JobResult.Decided(decision, JobCleanupOutcome.Failed, artifacts, mark: false);
        }

        // Cleaned only when nothing the policy will ever delete remains; data kept forever does not hold the job back.
        if (!decision.HasPendingArtifacts)
        {
            return JobResult.Decided(decision, JobCleanupOutcome.Cleaned, artifacts, mark: true);
        }

        // Some data is not due yet: not recorded cleaned. When this run found nothing to delete, it did nothing to report.
        return JobResult.Decided(decision, announced ? JobCleanupOutcome.PartlyCleaned : JobCleanupOutcome.Skipped, artifacts, mark: false);
    }

    /// <summary>A job that changed or was claimed elsewhere since it was read: left alone this run.</summary>
    public JobResult ChangedSincePlanned(JobRecord candidate)
    {
        Log.JobChangedSincePlanned(engine.Logger, candidate.Id);
        return JobResult.Skipped(candidate, "changed since it was planned");
    }

    /// <summary>A job held since it was read: kept, naming the hold.</summary>
    public JobResult Held(RunState run, JobRecord job, IReadOnlyList<JobHold> holds)
    {
        var decision = run.Policy.Evaluate(job with { Holds = holds }, run.Now);
        Log.PinnedJobKept(engine.Logger, job.Id, decision.Reason);
        return JobResult.Decided(decision, JobCleanupOutcome.Protected, [], mark: false);
    }

    /// <summary>
    /// One job's unexpected error (a bad path from the store, a host deleter that throws) fails that job, not the batch:
    /// the other jobs' deletions are still recorded, and later batches still run.
    /// </summary>
    public JobResult Error(JobRecord candidate, Exception ex)
    {
        Log.JobFailed(engine.Logger, ex, candidate.Id, ex.Message);
        return JobResult.Failed(candidate, "error: " + ex.Message, [new ArtifactCleanupResult(ArtifactKind.Output, string.Empty, DeletionOutcome.Failed, 0, ex.Message)]);
    }

    private async ValueTask<DeletionResult> DeleteAsync(string jobId, string path, bool dryRun)
    {
        long bytesEarlier = 0;
        long allocatedEarlier = 0;
        long filesEarlier = 0;
        DeletionResult? lastFailure = null;

        // The deleter stages the artifact in the quarantine instead when that is enabled; a dry run measures either way.
        var context = ResilienceContextPool.Shared.Get(dryRun ? "measure artifact" : "delete artifact", CancellationToken.None);
        try
        {
            return await engine.Resilience.ExecuteAsync(
                async ctx =>
                {
                    // Never cancelled mid-artifact: a job, once started, finishes.
                    var started = Stopwatch.GetTimestamp();
                    var result = dryRun ? await engine.Deleter.MeasureAsync(path, CancellationToken.None).ConfigureAwait(false)
                        : await engine.Deleter.DeleteArtifactAsync(jobId, path, CancellationToken.None).ConfigureAwait(false);
                    if (engine.Logger.IsEnabled(LogLevel.Debug))
                    {
                        Log.ArtifactTimed(engine.Logger, dryRun ? "measure" : "delete", result.Path, result.Outcome.ToString(), result.Files, ByteSize.Format(result.Bytes), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    if (result.Outcome == DeletionOutcome.Failed && result.IsTransient)
                    {
                        // Bytes a failed deletion freed stay freed: count them once across attempts. A measurement frees
                        // nothing, so its next attempt measures everything again.
                        bytesEarlier += dryRun ? 0 : result.Bytes;
                        allocatedEarlier += dryRun ? 0 : result.AllocatedBytes;
                        filesEarlier += dryRun ? 0 : result.Files;
                        lastFailure = result;
                        throw new TransientRetentionException(result.Reason ?? "transient deletion failure");
                    }

                    return result with { Bytes = result.Bytes + bytesEarlier, Files = result.Files + filesEarlier, AllocatedBytes = result.AllocatedBytes + allocatedEarlier };
                },
                context).ConfigureAwait(false);
        }
        catch (TransientRetentionException) when (lastFailure is not null)
        {
            return dryRun ? lastFailure : lastFailure with { Bytes = bytesEarlier, Files = filesEarlier, AllocatedBytes = allocatedEarlier };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Announce(JobRetentionDecision decision, bool dryRun)
    {
        if (!engine.Logger.IsEnabled(LogLevel.Information))
        {
            return; // the age and reason are words formatted per job: not for nobody
        }

        var job = decision.Job;
        var age = RetentionPeriod.Describe(decision.Age);
        if (dryRun)
        {
            Log.WouldCleanJob(engine.Logger, job.Id, job.Status.ToWord(), age, decision.Reason);
        }
        else
        {
            Log.CleaningJob(engine.Logger, job.Id, job.Status.ToWord(), age, decision.Reason);
        }
    }

    private void LogArtifact(string jobId, DeletionResult result, bool dryRun)
    {
        var logger = engine.Logger;
        if (result.Outcome is not (DeletionOutcome.Refused or DeletionOutcome.Failed) && !logger.IsEnabled(LogLevel.Information))
        {
            return; // a size in words per artifact, for nobody
        }

        switch (result.Outcome)
        {
            case DeletionOutcome.Deleted:
                Log.ArtifactDeleted(logger, result.Path, ByteSize.Format(result.Bytes));
                break;
            case DeletionOutcome.Quarantined:
                Log.ArtifactQuarantined(logger, result.Path, ByteSize.Format(result.Bytes), RetentionPeriod.Describe(engine.Options.Quarantine.GracePeriod));
                break;
            case DeletionOutcome.Measured:
                Log.ArtifactWouldBeDeleted(logger, result.Path, ByteSize.Format(result.Bytes));
                break;
            case DeletionOutcome.Missing:
                Log.ArtifactMissing(logger, result.Path);
                break;
            case DeletionOutcome.Refused:
                Log.ArtifactRefused(logger, result.Path, jobId, result.Reason);
                break;
            default:
                Log.ArtifactFailed(logger, result.Path, jobId, (dryRun ? "measuring failed: " : string.Empty) + result.Reason);
                break;
        }
    }

    private static bool IsInside(string path, string directory) =>
        path.Length > directory.Length + 1 && path.StartsWith(directory, StringComparison.Ordinal) && path[directory.Length] == Path.DirectorySeparatorChar;

    private static bool Contains(IReadOnlyList<ArtifactDecision> decisions, JobArtifact artifact, ArtifactVerdict verdict) =>
        decisions.Any(d => d.Verdict == verdict && IsInside(artifact.Path, Path.TrimEndingDirectorySeparator(d.Artifact.Path)));

    // A due directory that holds an artifact the policy keeps cannot be deleted without deleting what is kept.
    private static ArtifactDecision? FindKeptInside(IReadOnlyList<ArtifactDecision> decisions, JobArtifact artifact)
    {
        var directory = Path.TrimEndingDirectorySeparator(artifact.Path);
        foreach (var decision in decisions)
        {
            if (decision.Verdict == ArtifactVerdict.Keep && IsInside(decision.Artifact.Path, directory))
            {
                return decision;
            }
        }

        return null;
    }
}
