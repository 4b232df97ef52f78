using Retention.Artifacts;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Measures what jobs whose data is not cleaned hold on disk, by status: every such job's artifacts (the store's and the
/// conventions'), file by file, through the deleter's measuring walk, so the figures follow the same roots and links rules
/// as a deletion. For stores that record no sizes, where the recorded figure would say 0 B.
/// </summary>
internal static class StorageMeter
{
    private const int BatchSize = 500;

    public static async Task<IReadOnlyList<StorageUsage>> MeasureAsync(CleanupEngine engine, JobPlanner planner, CancellationToken cancellationToken)
    {
        var locator = ConventionArtifactLocator.ForRun(engine.Settings.Conventions, engine.Time);
        var totals = new SortedDictionary<JobStatus, (long Jobs, long Bytes)>();

        // Every status, with no age cutoff: the candidate query then streams every job whose data is not cleaned.
        var query = new CleanupCandidateQuery(Enum.GetValues<JobStatus>(), DateTimeOffset.MaxValue, BatchSize);
        await foreach (var candidate in engine.Stores.Jobs.GetCleanupCandidatesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            var job = await planner.WithAllArtifactsAsync(candidate, locator).ConfigureAwait(false);
            long bytes = 0;
            foreach (var artifact in job.Artifacts)
            {
                var measured = await engine.Deleter.MeasureAsync(artifact.Path, cancellationToken).ConfigureAwait(false);
                bytes += measured.Bytes;
            }

            var (jobs, sum) = totals.GetValueOrDefault(job.Status);
            totals[job.Status] = (jobs + 1, sum + bytes);
        }

        return totals.Select(t => new StorageUsage(t.Key.ToWord(), t.Value.Jobs, t.Value.Bytes)).ToArray();
    }
}
