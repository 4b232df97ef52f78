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

    /// <summary>The leader lease the run holds, if any; a claiming store refuses to claim once a newer lease has been granted.</summary>
    public LeaseFence? Fence { get; init; }

    /// <summary>Whether <paramref name="job"/> matches the query (for stores that filter in memory).</summary>
    /// <param name="job">The job.</param>
    /// <returns><see langword="true"/> when the job is a candidate.</returns>
    public bool Matches(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.DataCleanedAt is null && Statuses.Contains(job.Status) && job.FinishedAt < FinishedBefore;
    }
}
