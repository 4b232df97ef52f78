using Microsoft.EntityFrameworkCore;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>The queries over the host's job entity that the store runs, each on a context it is given, built from the validated map.</summary>
/// <typeparam name="TJob">The host's job entity.</typeparam>
internal interface IJobQueries<TJob>
    where TJob : class
{
    /// <summary>Adds a message per mapped member the context's model does not have as a property of <typeparamref name="TJob"/>.</summary>
    void CheckModel(DbContext context, ICollection<string> errors);

    /// <summary>One keyset page of candidates after <paramref name="afterId"/>, in key order, without artifacts.</summary>
    Task<(List<JobRecord> Jobs, object? LastKey)> CandidatePageAsync(DbContext context, CleanupCandidateQuery query, object? afterId, int pageSize, CancellationToken cancellationToken);

    Task<long> CountCandidatesAsync(DbContext context, CleanupCandidateQuery query, CancellationToken cancellationToken);

    /// <summary>Sets the data-cleaned time of the jobs still in their planned status (and version), one update per status and time.</summary>
    Task MarkAsync(DbContext context, IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken);

    /// <summary>Deletes the jobs still in their planned status; returns the ids of those deleted.</summary>
    Task<List<string>> PurgeAsync(DbContext context, IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken);

    /// <summary>The ids of <paramref name="jobs"/> still as they were read: same status (and version), data not cleaned.</summary>
    Task<List<string>> UnchangedAsync(DbContext context, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken);

    Task<List<JobRecord>> StaleAsync(DbContext context, StaleJobQuery query, CancellationToken cancellationToken);

    Task<bool> TryFailAsync(DbContext context, JobFailure failure, CancellationToken cancellationToken);

    Task<JobRecord?> FindAsync(DbContext context, string jobId, CancellationToken cancellationToken);

    /// <summary>One keyset page of job ids after <paramref name="afterId"/>.</summary>
    Task<(List<string> Ids, object? LastKey)> IdPageAsync(DbContext context, object? afterId, int pageSize, CancellationToken cancellationToken);

    /// <summary>Jobs whose data is not cleaned and their bytes, by status as the store writes it.</summary>
    Task<List<StorageUsage>> UsageAsync(DbContext context, CancellationToken cancellationToken);
}
