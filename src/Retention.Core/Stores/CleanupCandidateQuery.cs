namespace Retention.Stores;

/// <summary>Which jobs a cleanup run asks the store for.</summary>
/// <param name="Statuses">Only jobs in these (finished) statuses.</param>
/// <param name="FinishedBefore">Only jobs that finished (completed, else started, else created) before this instant (UTC).</param>
/// <param name="BatchSize">A hint for how many rows to read per round trip.</param>
public sealed record CleanupCandidateQuery(IReadOnlyList<JobStatus> Statuses, DateTimeOffset FinishedBefore, int BatchSize)
{
    /// <summary>Whether the policy has keep-newest-N rules, so candidates need <see cref="JobRecord.NewerJobsOfSameType"/> filled in.</summary>
    public bool IncludeRanks { get; init; }

    /// <summary>
    /// The run that claims what it streams, for stores that implement <see cref="IJobClaimStore"/>: each job returned is
    /// claimed for it, and jobs another run holds are skipped. <see langword="null"/> (dry runs, single-instance stores) claims nothing.
    /// </summary>
    public string? ClaimOwner { get; init; }

    /// <summary>
    /// When set, a store that keeps holds (<see cref="IJobHoldStore"/>) leaves out jobs with a hold in force at this instant
    /// (no end, or an end after it). Live runs set it to their time; dry runs leave it <see langword="null"/>, so they
    /// stream held jobs with their holds and say which hold keeps each.
    /// </summary>
    public DateTimeOffset? ExcludeHeldAt { get; init; }

    /// <summary>The leader lease the run holds, if any; a claiming store refuses to claim once a newer lease has been granted.</summary>
    public LeaseFence? Fence { get; init; }

    /// <summary>
    /// Per status, the instant a job of that status must have finished before: each status's own shortest retention, later
    /// than <see cref="FinishedBefore"/> for statuses kept longer. A store that applies it streams (and claims) only jobs
    /// whose own status's retention has run out; one that does not applies <see cref="FinishedBefore"/> to all, which
    /// streams more and is still correct. <see langword="null"/>: <see cref="FinishedBefore"/> for every status.
    /// </summary>
    public IReadOnlyDictionary<JobStatus, DateTimeOffset>? FinishedBeforeByStatus { get; init; }

    /// <summary>The instant a job in <paramref name="status"/> must have finished before.</summary>
    /// <param name="status">A status of <see cref="Statuses"/>.</param>
    /// <returns><see cref="FinishedBeforeByStatus"/>'s instant for it, else <see cref="FinishedBefore"/>.</returns>
    public DateTimeOffset FinishedBeforeFor(JobStatus status) =>
        FinishedBeforeByStatus is { } byStatus && byStatus.TryGetValue(status, out var before) ? before : FinishedBefore;

    /// <summary>Whether <paramref name="job"/> matches the query by <see cref="FinishedBefore"/> and <see cref="ExcludeHeldAt"/> (for stores that filter in memory and claim nothing).</summary>
    /// <param name="job">The job.</param>
    /// <returns><see langword="true"/> when the job is a candidate.</returns>
    public bool Matches(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.DataCleanedAt is null && Statuses.Contains(job.Status) && job.FinishedAt < FinishedBefore && (ExcludeHeldAt is not { } at || !job.IsPinnedAt(at));
    }
}
