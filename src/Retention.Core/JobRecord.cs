namespace Retention;

/// <summary>A job as the cleanup engine sees it: identity, status, times, artifacts and holds. Stores build these from their own rows.</summary>
public sealed record JobRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="id">The job's identifier, for example <c>job-20240115-123456</c>.</param>
    /// <param name="status">The job's status.</param>
    public JobRecord(string id, JobStatus status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        Status = status;
    }

    /// <summary>The job's identifier.</summary>
    public string Id { get; }

    /// <summary>The job's status.</summary>
    public JobStatus Status { get; init; }

    /// <summary>
    /// The stored status word when no status mapping covers it (<c>done</c>); the job then reads as
    /// <see cref="JobStatus.Running"/>, so it is never cleaned, and <c>explain</c> says why. <see langword="null"/> when mapped.
    /// </summary>
    public string? UnmappedStatus { get; init; }

    /// <summary>The host's job type (for example <c>render</c> or <c>import</c>); <see langword="null"/> when the host has none.</summary>
    public string? JobType { get; init; }

    /// <summary>When the job was submitted (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the job started running (UTC), if it did.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job finished (UTC), if it did.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the job's data was cleaned (UTC); <see langword="null"/> while it has not been.</summary>
    public DateTimeOffset? DataCleanedAt { get; init; }

    /// <summary>The job's error message, if it failed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The files and directories the store knows belong to the job. Conventions may add more at run time.</summary>
    public IReadOnlyList<JobArtifact> Artifacts { get; init; } = [];

    /// <summary>The holds that protect the job's data; no rule overrides one while it is in force. Expired ones protect nothing.</summary>
    public IReadOnlyList<JobHold> Holds { get; init; } = [];

    /// <summary>
    /// How many newer finished jobs share this job's type and status, for keep-the-newest-N rules.
    /// Stores that can count fill it; when it is <see langword="null"/>, keep-newest-N rules keep the job.
    /// </summary>
    public int? NewerJobsOfSameType { get; init; }

    /// <summary>
    /// The row version the store read (PostgreSQL's <c>xmin</c>, a host's version column), so a store shared by several
    /// instances can tell that a job changed after it was planned; <see langword="null"/> when the store keeps none.
    /// </summary>
    public long? Version { get; init; }

    /// <summary>The time retention ages are measured from: completion, else start, else creation.</summary>
    public DateTimeOffset FinishedAt => CompletedAt ?? StartedAt ?? CreatedAt;

    /// <summary>Whether a hold is in force at <paramref name="now"/>.</summary>
    /// <param name="now">The time of evaluation.</param>
    /// <returns><see langword="true"/> when the job is pinned.</returns>
    public bool IsPinnedAt(DateTimeOffset now) => HoldAt(now) is not null;

    /// <summary>The hold that keeps the job at <paramref name="now"/>: of those in force, the one that lasts longest.</summary>
    /// <param name="now">The time of evaluation.</param>
    /// <returns>The hold, or <see langword="null"/> when none is in force.</returns>
    public JobHold? HoldAt(DateTimeOffset now)
    {
        JobHold? longest = null;
        foreach (var hold in Holds)
        {
            if (hold.IsInForceAt(now) && (longest is null || (longest.Until is { } end && (hold.Until is null || hold.Until > end))))
            {
                longest = hold;
            }
        }

        return longest;
    }
}
