namespace Retention.Stores;

/// <summary>Jobs in one status whose data is not cleaned yet, and the bytes they hold.</summary>
/// <param name="Status">The status as the store writes it.</param>
/// <param name="Jobs">How many jobs.</param>
/// <param name="Bytes">Their recorded data size.</param>
public sealed record StorageUsage(string Status, long Jobs, long Bytes);
