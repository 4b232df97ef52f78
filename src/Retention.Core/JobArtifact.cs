namespace Retention;

/// <summary>A file or directory that belongs to a job.</summary>
/// <param name="Kind">What the artifact is to the job.</param>
/// <param name="Path">Absolute, or relative to the options' <c>BasePath</c>. A directory is deleted with everything below it.</param>
/// <param name="SizeBytes">The size the host recorded, if any; the deleter measures the real size itself.</param>
public sealed record JobArtifact(ArtifactKind Kind, string Path, long? SizeBytes = null);
