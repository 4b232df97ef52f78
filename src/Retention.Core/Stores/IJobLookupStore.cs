namespace Retention.Stores;

/// <summary>
/// The store capability that finds one job by id. The engine uses it to settle names a prefix convention cannot attribute
/// alone (<c>uploads/a_1_dem.tif</c> is job <c>a</c>'s only if there is no job <c>a_1</c>); without it such names are left alone.
/// </summary>
public interface IJobLookupStore
{
    /// <summary>Finds a job by id, with the artifacts the store knows of.</summary>
    /// <param name="jobId">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or <see langword="null"/> when there is none.</returns>
    ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default);
}
