namespace Retention.EntityFrameworkCore.Model;

/// <summary>
/// A file or directory the host records for a job (table <c>retention_job_artifacts</c>), added to the host's model by
/// <c>modelBuilder.AddRetention()</c>. Optional: the store reads a job's rows with its candidates and deletes them when it
/// purges the job; hosts that record none rely on path conventions.
/// </summary>
public sealed class RetentionJobArtifact
{
    /// <summary>The job's id, as text (<c>42</c> for an integer key).</summary>
    public string JobId { get; set; } = string.Empty;

    /// <summary>The path, absolute or relative to the cleanup's base path.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The artifact's kind (<c>input</c>, <c>output</c>, ...).</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Its size in bytes, when known.</summary>
    public long? SizeBytes { get; set; }
}
