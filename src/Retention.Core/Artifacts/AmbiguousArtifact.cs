namespace Retention.Artifacts;

/// <summary>A prefix match that belongs to the job only if none of <see cref="OtherJobIds"/> is a job.</summary>
internal sealed record AmbiguousArtifact(JobArtifact Artifact, IReadOnlyList<string> OtherJobIds);
