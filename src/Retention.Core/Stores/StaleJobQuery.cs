namespace Retention.Stores;

/// <summary>Which active jobs the stale-job reaper asks the store for.</summary>
/// <param name="Statuses">Only jobs in these statuses.</param>
/// <param name="StartedBefore">Only jobs that started (or, never started, were created) before this instant (UTC); <see langword="null"/> for all.</param>
public sealed record StaleJobQuery(IReadOnlyList<JobStatus> Statuses, DateTimeOffset? StartedBefore)
{
    /// <summary>Whether <paramref name="job"/> matches the query (for stores that filter in memory).</summary>
    /// <param name="job">The job.</param>
    /// <returns><see langword="true"/> when the job matches.</returns>
    public bool Matches(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Statuses.Contains(job.Status) && (StartedBefore is null || (job.StartedAt ?? job.CreatedAt) < StartedBefore);
    }
}
