namespace Retention.Stores;

/// <summary>Artifacts of one kind, of jobs whose data is not cleaned yet, and the bytes they hold.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Artifacts">How many artifacts.</param>
/// <param name="Bytes">Their recorded size (an artifact whose size is unknown counts as 0).</param>
public sealed record ArtifactUsage(ArtifactKind Kind, long Artifacts, long Bytes);
