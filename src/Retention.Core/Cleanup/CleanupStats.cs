namespace Retention.Cleanup;

/// <summary>The totals of one run (in a dry run: what the real run would do).</summary>
public sealed class CleanupStats
{
    /// <summary>Whether these are a dry run's estimates.</summary>
    public bool DryRun { get; init; }

    /// <summary>Candidates read from the store.</summary>
    public long JobsScanned { get; init; }

    /// <summary>Jobs cleaned (recorded as cleaned, or purged).</summary>
    public long JobsCleaned { get; init; }

    /// <summary>Jobs cleaned, by status: as in <c>cleaned_jobs.successful</c> and <c>cleaned_jobs.failed</c>.</summary>
    public IReadOnlyDictionary<JobStatus, long> JobsCleanedByStatus { get; init; } = new Dictionary<JobStatus, long>();

    /// <summary>Bytes freed by cleaned jobs, by status (every job counted, listed in the report or not); bytes moved to the quarantine are not freed yet and not counted.</summary>
    public IReadOnlyDictionary<JobStatus, long> BytesFreedByStatus { get; init; } = new Dictionary<JobStatus, long>();

    /// <summary>Jobs whose due artifacts were deleted while others are not yet due.</summary>
    public long JobsPartlyCleaned { get; init; }

    /// <summary>Jobs with nothing due yet.</summary>
    public long JobsSkipped { get; init; }

    /// <summary>Jobs left uncleaned because an artifact was refused or could not be deleted.</summary>
    public long JobsFailed { get; init; }

    /// <summary>Active or pinned jobs the store returned, which were not touched.</summary>
    public long JobsProtected { get; init; }

    /// <summary>Job records purged.</summary>
    public long JobsPurged { get; init; }

    /// <summary>Artifacts deleted or moved to the quarantine (or measured, in a dry run).</summary>
    public long ArtifactsDeleted { get; init; }

    /// <summary>Artifacts already gone.</summary>
    public long ArtifactsMissing { get; init; }

    /// <summary>Artifacts refused (outside the roots, through a link, a root itself).</summary>
    public long ArtifactsRefused { get; init; }

    /// <summary>Artifacts whose deletion failed.</summary>
    public long ArtifactsFailed { get; init; }

    /// <summary>Artifacts deleted (or quarantined) and bytes freed, by kind; quarantined artifacts count, their bytes are not freed yet and do not.</summary>
    public IReadOnlyDictionary<ArtifactKind, ArtifactKindStats> ByKind { get; init; } = new Dictionary<ArtifactKind, ArtifactKindStats>();

    /// <summary>Bytes of job data deleted by this run (or that would be, in a dry run). Data moved to the quarantine is not counted: see <see cref="BytesQuarantined"/>.</summary>
    public long BytesFreed { get; init; }

    /// <summary>
    /// The disk space <see cref="BytesFreed"/> gives back: the freed files' allocated blocks, as <c>du</c> counts them (a small
    /// file holds a whole block, a sparse one less than its size). 0 where the system does not say (Windows, macOS).
    /// </summary>
    public long AllocatedBytesFreed { get; init; }

    /// <summary>
    /// Bytes of job data moved to the quarantine by this run (<see cref="Quarantine.QuarantineOptions.Enabled"/>). Not counted in
    /// <see cref="BytesFreed"/>: the data is gone from its place, but the disk is not freed until its grace period has passed and a
    /// later run purges it (then it counts in that run's <see cref="QuarantineBytesPurged"/>). A dry run moves nothing; what it
    /// measures is in <see cref="BytesFreed"/>.
    /// </summary>
    public long BytesQuarantined { get; init; }

    /// <summary>
    /// Bytes freed at the start of the run by deleting quarantined data whose grace period had passed. Not job data deleted
    /// by this run, so not in <see cref="BytesFreed"/>.
    /// </summary>
    public long QuarantineBytesPurged { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Jobs cleaned in <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The count (0 when none).</returns>
    public long CleanedIn(JobStatus status) => JobsCleanedByStatus.TryGetValue(status, out var count) ? count : 0;

    /// <summary>Bytes freed by jobs cleaned in <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The bytes (0 when none).</returns>
    public long FreedIn(JobStatus status) => BytesFreedByStatus.TryGetValue(status, out var bytes) ? bytes : 0;
}
