namespace Retention.Stores;

/// <summary>What trimming the library's own records deleted.</summary>
/// <param name="AuditRows">Audit rows deleted.</param>
/// <param name="Runs">Recorded runs deleted from the run history.</param>
public sealed record RecordsTrimmed(long AuditRows, long Runs);
