namespace Retention.Stores;

/// <summary>
/// The store capability behind the <c>retention.storage.held</c> gauge and the "usage by status" query:
/// how much data jobs not yet cleaned hold, by status, from the sizes the store records.
/// </summary>
public interface IStorageUsageStore
{
    /// <summary>Jobs whose data is not cleaned, and the bytes they hold, by status.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per status that has such jobs.</returns>
    ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default);
}
