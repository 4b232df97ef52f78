namespace Retention.EntityFrameworkCore.Model;

/// <summary>
/// A job a cleanup run has claimed (table <c>retention_job_claims</c>), so no other replica's run streams it while the
/// claim lasts; added by <c>modelBuilder.AddRetention()</c>, used only by a store shared by replicas.
/// </summary>
public sealed class RetentionJobClaim
{
    /// <summary>The job's id, as text (the key).</summary>
    public string JobId { get; set; } = string.Empty;

    /// <summary>The run that holds the claim.</summary>
    public string Owner { get; set; } = string.Empty;

    /// <summary>When the claim lapses unless renewed (UTC).</summary>
    public DateTime ExpiresAt { get; set; }
}
