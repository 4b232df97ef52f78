namespace Retention.Stores;

/// <summary>The store capability the stale-job reaper needs: find active jobs, and fail one only if it is still as it was seen.</summary>
public interface IStaleJobStore
{
    /// <summary>Streams the active jobs matching <paramref name="query"/>.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The jobs.</returns>
    IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the job failed, with the message and completion time, only if its status is still
    /// <see cref="JobFailure.ExpectedStatus"/> (one conditional update), so a job that completed meanwhile is left alone.
    /// </summary>
    /// <param name="failure">The request.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the job was failed; <see langword="false"/> when it had changed or is gone.</returns>
    ValueTask<bool> TryFailJobAsync(JobFailure failure, CancellationToken cancellationToken = default);
}
