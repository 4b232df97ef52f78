using Retention.Cleanup;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// The response (<c>success</c>, <c>cleaned_jobs</c>, <c>space_freed</c>, <c>details</c>), with the run's id, outcome and
/// failures added; older clients read only their fields.
/// </summary>
internal sealed record CleanupResponse(
    bool Success,
    CleanedJobs CleanedJobs,
    SpaceFreed SpaceFreed,
    IReadOnlyList<JobDetail> Details,
    string RunId,
    bool DryRun,
    CleanupOutcome Outcome,
    long JobsFailed,
    long JobsOmitted,
    string? Error)
{
    public static CleanupResponse From(CleanupReport report, bool withArtifacts = false)
    {
        var stats = report.Stats;
        return new CleanupResponse(
            report.Succeeded,
            new CleanedJobs(stats.CleanedIn(JobStatus.Succeeded), stats.CleanedIn(JobStatus.Failed), stats.CleanedIn(JobStatus.Cancelled)),
            SpaceFreed.Of(stats),
            [.. report.Jobs.Select(j => JobDetail.From(j, withArtifacts))],
            report.RunId,
            report.DryRun,
            report.Outcome,
            stats.JobsFailed,
            report.JobsOmitted,
            report.Error);
    }
}

/// <summary>Jobs cleaned, by status: successful, failed and cancelled.</summary>
internal sealed record CleanedJobs(long Successful, long Failed, long Cancelled);

/// <summary>Bytes freed, and a human-readable form (<c>45.0 GB</c>).</summary>
/// <summary><c>space_freed</c>: the files' logical size, and the disk space that gives back (allocated blocks, as <c>du</c> counts).</summary>
internal sealed record SpaceFreed(long Bytes, string HumanReadable, long OnDiskBytes)
{
    public static SpaceFreed Of(CleanupStats stats) => new(stats.BytesFreed, ByteSize.Format(stats.BytesFreed), stats.AllocatedBytesFreed);
}

/// <summary>One job the run acted on: its id, status, age and space freed, then what happened and why.</summary>
internal sealed record JobDetail(string JobId, string Status, double AgeDays, string SpaceFreed, long BytesFreed, JobCleanupOutcome Outcome, string Reason, IReadOnlyList<ArtifactDetail>? Artifacts)
{
    public static JobDetail From(JobCleanupDetail job, bool withArtifacts) => new(
        job.JobId,
        StoredStatusWord(job.Status),
        job.AgeDays,
        ByteSize.Format(job.BytesFreed),
        job.BytesFreed,
        job.Outcome,
        job.Reason,
        withArtifacts ? [.. job.Artifacts.Select(a => new ArtifactDetail(a.Kind.Name, a.Path, a.Bytes, a.Outcome.ToString().ToLowerInvariant(), a.Reason))] : null);

    // The stored word for a succeeded job is "completed".
    private static string StoredStatusWord(JobStatus status) => status == JobStatus.Succeeded ? "completed" : status.ToWord();
}

/// <summary>One artifact of a job in a preview.</summary>
internal sealed record ArtifactDetail(string Kind, string Path, long Bytes, string Outcome, string? Reason);
