namespace Retention.Sqlite;

/// <summary>One row of the "usage by status" query.</summary>
/// <param name="Status">The status string as stored.</param>
/// <param name="Jobs">Jobs in that status whose data is not cleaned.</param>
/// <param name="Megabytes">Their recorded data size.</param>
public sealed record StatusUsage(string Status, long Jobs, double Megabytes);
