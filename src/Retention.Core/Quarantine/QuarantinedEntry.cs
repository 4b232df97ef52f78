namespace Retention.Quarantine;

/// <summary>One path in the quarantine.</summary>
/// <param name="JobId">The job it belongs to.</param>
/// <param name="OriginalPath">Where it was, and where <see cref="IJobQuarantine.RestoreAsync"/> puts it back.</param>
/// <param name="QuarantinedPath">Where it is now.</param>
/// <param name="QuarantinedAt">When it was moved (UTC, to the second); it is deleted once the grace period has passed since.</param>
/// <param name="Bytes">Bytes it held when it was moved.</param>
public sealed record QuarantinedEntry(string JobId, string OriginalPath, string QuarantinedPath, DateTimeOffset QuarantinedAt, long Bytes);
