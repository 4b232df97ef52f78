using System.Runtime.CompilerServices;
using Retention.Stores;

namespace Retention.TestSupport;

/// <summary>
/// A real store whose candidate stream places a hold on a job just after reading it: the hold comes between the run's
/// reading (and planning) of the job and its deletion, as an operator's would.
/// </summary>
public sealed class HoldPlacedAfterReading<TStore>(TStore inner, string jobId, JobHold hold) : IJobStore, IJobHoldStore, IJobLookupStore
    where TStore : IJobStore, IJobHoldStore, IJobLookupStore
{
    /// <summary>Whether the stream has placed the hold.</summary>
    public bool Placed { get; private set; }

    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var job in inner.GetCleanupCandidatesAsync(query, cancellationToken))
        {
            if (job.Id == jobId && !Placed)
            {
                await inner.AddHoldAsync(hold with { JobId = jobId }, cancellationToken);
                Placed = true;
            }

            yield return job;
        }
    }

    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default) => inner.MarkDataCleanedAsync(jobs, cancellationToken);

    public ValueTask AddHoldAsync(JobHold hold, CancellationToken cancellationToken = default) => inner.AddHoldAsync(hold, cancellationToken);

    public ValueTask<IReadOnlyList<JobHold>> GetHoldsAsync(string? jobId, DateTimeOffset inForceAt, CancellationToken cancellationToken = default) => inner.GetHoldsAsync(jobId, inForceAt, cancellationToken);

    public ValueTask<IReadOnlyList<JobHold>> GetHoldsOfJobsAsync(IReadOnlyCollection<string> jobIds, DateTimeOffset inForceAt, CancellationToken cancellationToken = default) => inner.GetHoldsOfJobsAsync(jobIds, inForceAt, cancellationToken);

    public ValueTask<JobHold?> ReleaseHoldAsync(string holdId, string releasedBy, DateTimeOffset releasedAt, CancellationToken cancellationToken = default) => inner.ReleaseHoldAsync(holdId, releasedBy, releasedAt, cancellationToken);

    public ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default) => inner.FindJobAsync(jobId, cancellationToken);
}
