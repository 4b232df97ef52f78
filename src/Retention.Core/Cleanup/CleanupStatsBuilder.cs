using Retention.Deletion;

namespace Retention.Cleanup;

/// <summary>Accumulates a run's totals; used by one thread at a time (after each batch).</summary>
internal sealed class CleanupStatsBuilder
{
    private readonly Dictionary<JobStatus, long> _cleanedByStatus = [];
    private readonly Dictionary<JobStatus, long> _bytesByStatus = [];
    private readonly Dictionary<ArtifactKind, ArtifactKindStats> _byKind = [];
    private long _scanned;
    private long _cleaned;
    private long _partly;
    private long _skipped;
    private long _failed;
    private long _protected;
    private long _purged;
    private long _deleted;
    private long _missing;
    private long _refused;
    private long _artifactsFailed;
    private long _bytes;
    private long _allocated;
    private long _quarantined;
    private long _quarantinePurged;

    public long JobsScanned => _scanned;

    public long JobsCleaned => _cleaned;

    public long BytesFreed => _bytes;

    public void AddQuarantinePurge(long bytes) => _quarantinePurged += bytes;

    public void AddSkipped()
    {
        _scanned++;
        _skipped++;
    }

    public void Add(JobCleanupDetail job)
    {
        _scanned++;
        switch (job.Outcome)
        {
            case JobCleanupOutcome.Cleaned:
                _cleaned++;
                _cleanedByStatus[job.Status] = _cleanedByStatus.GetValueOrDefault(job.Status) + 1;
                _bytesByStatus[job.Status] = _bytesByStatus.GetValueOrDefault(job.Status) + job.BytesFreed;
                _purged += job.RecordPurged ? 1 : 0;
                break;
            case JobCleanupOutcome.PartlyCleaned:
                _partly++;
                break;
            case JobCleanupOutcome.Failed:
                _failed++;
                break;
            case JobCleanupOutcome.Skipped:
                _skipped++;
                break;
            case JobCleanupOutcome.Protected:
                _protected++;
                break;
        }

        foreach (var artifact in job.Artifacts)
        {
            // Quarantined data is gone from its place, so it counts like deleted data, but its bytes are not freed yet.
            var freed = artifact.Outcome == DeletionOutcome.Quarantined ? 0 : artifact.Bytes;
            _bytes += freed;
            _allocated += artifact.Outcome == DeletionOutcome.Quarantined ? 0 : artifact.AllocatedBytes;
            _quarantined += artifact.Bytes - freed;
            switch (artifact.Outcome)
            {
                case DeletionOutcome.Deleted or DeletionOutcome.Measured or DeletionOutcome.Quarantined:
                    _deleted++;
                    var kind = _byKind.GetValueOrDefault(artifact.Kind);
                    _byKind[artifact.Kind] = new ArtifactKindStats(kind.Count + 1, kind.Bytes + freed);
                    break;
                case DeletionOutcome.Missing:
                    _missing++;
                    break;
                case DeletionOutcome.Refused:
                    _refused++;
                    break;
                case DeletionOutcome.Failed:
                    _artifactsFailed++;
                    break;
            }
        }
    }

    public CleanupStats Build(bool dryRun, TimeSpan duration) => new()
    {
        DryRun = dryRun,
        JobsScanned = _scanned,
        JobsCleaned = _cleaned,
        JobsCleanedByStatus = new Dictionary<JobStatus, long>(_cleanedByStatus),
        BytesFreedByStatus = new Dictionary<JobStatus, long>(_bytesByStatus),
        JobsPartlyCleaned = _partly,
        JobsSkipped = _skipped,
        JobsFailed = _failed,
        JobsProtected = _protected,
        JobsPurged = _purged,
        ArtifactsDeleted = _deleted,
        ArtifactsMissing = _missing,
        ArtifactsRefused = _refused,
        ArtifactsFailed = _artifactsFailed,
        ByKind = new Dictionary<ArtifactKind, ArtifactKindStats>(_byKind),
        BytesFreed = _bytes,
        AllocatedBytesFreed = _allocated,
        BytesQuarantined = _quarantined,
        QuarantineBytesPurged = _quarantinePurged,
        Duration = duration,
    };
}
