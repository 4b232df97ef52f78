using Microsoft.Extensions.DependencyInjection;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>The store's capabilities a cleanup uses: the one every store has, and the optional ones it may add.</summary>
/// <param name="Jobs">Streams candidates and marks jobs cleaned.</param>
/// <param name="Purge">Deletes job records, for purge rules.</param>
/// <param name="Runs">Keeps the run history.</param>
/// <param name="Lookup">Finds one job: explain, and settling whose a prefix match is.</param>
/// <param name="Counter">Counts candidates up front, for a percentage.</param>
/// <param name="Claims">Claims candidates for one of several replicas.</param>
/// <param name="StatusWords">Finds status words no mapping covers.</param>
/// <param name="Holds">Keeps holds: read again just before a job's deletion.</param>
/// <param name="Usage">Reports how many jobs hold data, for the share-of-store limit.</param>
/// <param name="Records">Trims the library's own audit rows and run history.</param>
internal sealed record CleanupStores(
    IJobStore Jobs,
    IJobPurgeStore? Purge = null,
    ICleanupRunStore? Runs = null,
    IJobLookupStore? Lookup = null,
    ICleanupCandidateCounter? Counter = null,
    IJobClaimStore? Claims = null,
    IStatusWordStore? StatusWords = null,
    IJobHoldStore? Holds = null,
    IStorageUsageStore? Usage = null,
    IRecordTrimStore? Records = null)
{
    /// <summary>The optional capabilities the container holds, beside the job store the caller requires.</summary>
    public static CleanupStores From(IServiceProvider services, IJobStore jobs) => new(
        jobs,
        services.GetService<IJobPurgeStore>(),
        services.GetService<ICleanupRunStore>(),
        services.GetService<IJobLookupStore>(),
        services.GetService<ICleanupCandidateCounter>(),
        services.GetService<IJobClaimStore>(),
        services.GetService<IStatusWordStore>(),
        services.GetService<IJobHoldStore>(),
        services.GetService<IStorageUsageStore>(),
        services.GetService<IRecordTrimStore>());
}
