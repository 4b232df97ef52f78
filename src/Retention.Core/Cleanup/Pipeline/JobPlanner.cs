using Retention.Artifacts;
using Retention.Deletion;
using Retention.Diagnostics;
using Retention.Policies;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// From a candidate to a plan: its artifacts (the store's, and those the conventions find) and the policy's decision,
/// or the result at once when there is nothing to do (not due, protected, nothing due, a name that cannot be built).
/// </summary>
internal sealed class JobPlanner(CleanupEngine engine)
{
    /// <summary>The plan, or the job's result when it is settled without touching the disk further.</summary>
    public async ValueTask<(JobResult? Done, JobRecord? Job, JobRetentionDecision? Decision)> PlanAsync(RunState run, JobRecord candidate, ConventionArtifactLocator locator)
    {
        if (!run.Policy.MayBeDue(candidate, run.Now))
        {
            // Streamed because some status's retention ran out, but not this job's: skipped before any disk access.
            return (JobResult.Skipped(candidate, "not due yet"), null, null);
        }

        var job = await WithAllArtifactsAsync(candidate, locator).ConfigureAwait(false);
        var decision = run.Policy.Evaluate(job, run.Now);
        if (decision.Protection != JobProtection.None)
        {
            // The store's filter is not trusted for safety: an active or pinned job is never touched.
            if (decision.Protection == JobProtection.Active)
            {
                Log.ActiveJobSkipped(engine.Logger, job.Id, job.Status.ToWord());
            }
            else
            {
                Log.PinnedJobKept(engine.Logger, job.Id, decision.Reason);
            }

            return (JobResult.Decided(decision, JobCleanupOutcome.Protected, [], mark: false), null, null);
        }

        if (!decision.HasDueArtifacts && (!decision.IsDue || decision.HasPendingArtifacts))
        {
            return (JobResult.Decided(decision, JobCleanupOutcome.Skipped, [], mark: false), null, null);
        }

        if (locator.RefusalFor(job.Id) is { } refusal)
        {
            // Its files cannot be named, so "nothing left" cannot be known: refused and left unmarked for an operator to see.
            Log.ArtifactRefused(engine.Logger, job.Id, job.Id, refusal);
            return (JobResult.Decided(decision, JobCleanupOutcome.Failed, [new ArtifactCleanupResult(ArtifactKind.Output, job.Id, DeletionOutcome.Refused, 0, refusal)], mark: false), null, null);
        }

        return (null, job, decision);
    }

    /// <summary>The job with every artifact: the store's (relative ones resolved against the base path) and the conventions'.</summary>
    public async ValueTask<JobRecord> WithAllArtifactsAsync(JobRecord job, ConventionArtifactLocator locator)
    {
        var artifacts = new List<JobArtifact>(job.Artifacts.Count + 2);
        foreach (var artifact in job.Artifacts)
        {
            artifacts.Add(Path.IsPathFullyQualified(artifact.Path) ? artifact : artifact with { Path = Path.GetFullPath(artifact.Path, engine.BasePath) });
        }

        List<AmbiguousArtifact>? ambiguous = null;
        locator.Locate(job.Id, artifacts, ref ambiguous);
        foreach (var candidate in ambiguous ?? [])
        {
            // uploads/a_1_dem.tif is job a's only when there is no job a_1; without a way to ask, it is left alone.
            if (engine.Stores.Lookup is not null && await NoneExistAsync(candidate.OtherJobIds).ConfigureAwait(false))
            {
                artifacts.Add(candidate.Artifact);
            }
        }

        if (artifacts.Count == 0 && job.Artifacts.Count == 0)
        {
            return job; // most due jobs of a long history: nothing on disk, nothing to copy
        }

        // One path, one deletion, even when the store and a convention both name it.
        if (artifacts.Count > 1)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            artifacts.RemoveAll(a => !seen.Add(Path.TrimEndingDirectorySeparator(a.Path)));
        }

        return job with { Artifacts = artifacts };
    }

    private async Task<bool> NoneExistAsync(IReadOnlyList<string> jobIds)
    {
        foreach (var id in jobIds)
        {
            if (await engine.Stores.Lookup!.FindJobAsync(id, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        return true;
    }
}
