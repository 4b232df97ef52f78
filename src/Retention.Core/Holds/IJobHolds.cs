namespace Retention.Holds;

/// <summary>
/// Places, lists and releases holds on jobs' data, through the store's <see cref="Stores.IJobHoldStore"/>. Requests are
/// checked first: a job that does not exist or whose data is already gone, an empty owner or reason, or an end in the past
/// is refused with <see cref="JobHoldRefusedException"/>, and nothing is stored.
/// </summary>
public interface IJobHolds
{
    /// <summary>Places a hold on a job.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="owner">Who places it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="until">When it ends; <see langword="null"/> holds until it is released.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The hold placed, with its id.</returns>
    /// <exception cref="JobHoldRefusedException">The request is invalid.</exception>
    /// <exception cref="RetentionConfigurationException">The store keeps no holds.</exception>
    Task<JobHold> AddAsync(string jobId, string owner, string reason, DateTimeOffset? until = null, CancellationToken cancellationToken = default);

    /// <summary>The holds in force now: one job's, or every job's.</summary>
    /// <param name="jobId">The job, or <see langword="null"/> for every job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds, ordered by job id then creation.</returns>
    /// <exception cref="RetentionConfigurationException">The store keeps no holds.</exception>
    Task<IReadOnlyList<JobHold>> ListAsync(string? jobId = null, CancellationToken cancellationToken = default);

    /// <summary>Releases a hold.</summary>
    /// <param name="holdId">The hold's id.</param>
    /// <param name="releasedBy">Who releases it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The hold released.</returns>
    /// <exception cref="JobHoldRefusedException">There is no hold with that id, or <paramref name="releasedBy"/> is empty.</exception>
    /// <exception cref="RetentionConfigurationException">The store keeps no holds.</exception>
    Task<JobHold> ReleaseAsync(string holdId, string releasedBy, CancellationToken cancellationToken = default);
}
