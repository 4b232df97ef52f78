namespace Retention.EntityFrameworkCore.Model;

/// <summary>
/// One row of the run history the store keeps in the host's own database (table <c>retention_cleanup_runs</c>), added to the
/// host's model by <c>modelBuilder.AddRetention()</c> so its migrations create it. Times are UTC.
/// </summary>
public sealed class RetentionCleanupRun
{
    /// <summary>The run's id (the key).</summary>
    public string RunId { get; set; } = string.Empty;

    /// <summary>What started it (<c>schedule</c>, <c>http</c>, <c>cli</c>, ...).</summary>
    public string? Trigger { get; set; }

    /// <summary>When it started (UTC).</summary>
    public DateTime StartedAt { get; set; }

    /// <summary>When it finished (UTC).</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Whether it was a dry run.</summary>
    public bool DryRun { get; set; }

    /// <summary>completed, cancelled or failed.</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>Candidates read.</summary>
    public long JobsScanned { get; set; }

    /// <summary>Jobs cleaned.</summary>
    public long JobsCleaned { get; set; }

    /// <summary>Jobs that could not be cleaned.</summary>
    public long JobsFailed { get; set; }

    /// <summary>Bytes freed.</summary>
    public long BytesFreed { get; set; }

    /// <summary>The error that stopped it, if any.</summary>
    public string? Error { get; set; }

    /// <summary>Who asked for the run, for audit.</summary>
    public string? RequestedBy { get; set; }

    /// <summary>Where the request came from, for audit.</summary>
    public string? RequestedFrom { get; set; }
}
