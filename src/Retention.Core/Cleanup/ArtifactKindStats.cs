namespace Retention.Cleanup;

/// <summary>Artifacts of one kind deleted in a run.</summary>
/// <param name="Count">How many.</param>
/// <param name="Bytes">How many bytes they held.</param>
public readonly record struct ArtifactKindStats(long Count, long Bytes);
