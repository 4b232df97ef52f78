using Retention.Stores;

namespace Retention.Cleanup;

/// <summary>What one cleanup run did: totals, per-job details, and how it ended.</summary>
public sealed class CleanupReport
{
    /// <summary>The run's identifier, such as <c>cleanup-20240120-020001-3f2a</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>What started the run.</summary>
    public required string Trigger { get; init; }

    /// <summary>Who asked for it, if known.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Where the request came from (a remote IP address), if known.</summary>
    public string? RequestedFrom { get; init; }

    /// <summary>Whether it was a dry run.</summary>
    public bool DryRun { get; init; }

    /// <summary>When it started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>How it ended.</summary>
    public CleanupOutcome Outcome { get; init; }

    /// <summary>The error that stopped it, when <see cref="Outcome"/> is <see cref="CleanupOutcome.Failed"/>; the reason it did not start for <see cref="CleanupOutcome.AlreadyRunning"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The totals.</summary>
    public required CleanupStats Stats { get; init; }

    /// <summary>The jobs the run acted on or could not clean (jobs with nothing due are only counted), up to the configured maximum.</summary>
    public IReadOnlyList<JobCleanupDetail> Jobs { get; init; } = [];

    /// <summary>Jobs acted on but left out of <see cref="Jobs"/> because of the maximum.</summary>
    public long JobsOmitted { get; init; }

    /// <summary>Status words found at the run's start that no status is mapped to; their jobs were not cleaned.</summary>
    public IReadOnlyList<UnmappedStatusWord> UnmappedStatuses { get; init; } = [];

    /// <summary>
    /// Jobs whose due data this run deleted but could not record cleaned, because the store kept failing (a database locked
    /// past <see cref="JobCleanupOptions.RecordingTimeout"/>); the run then failed. Their records still say they hold data:
    /// the next run finds nothing left to delete and records them. Empty when every deletion was recorded.
    /// </summary>
    public IReadOnlyList<string> UnrecordedJobIds { get; init; } = [];

    /// <summary>What the run trimmed of the library's own records (audit rows, run history) past <see cref="JobCleanupOptions.RecordRetention"/>; null when it trimmed nothing (a dry run, a store without <see cref="Stores.IRecordTrimStore"/>, retention off).</summary>
    public Stores.RecordsTrimmed? RecordsTrimmed { get; init; }

    /// <summary>Whether the run completed and every due job was cleaned.</summary>
    public bool Succeeded => Outcome == CleanupOutcome.Completed && Stats.JobsFailed == 0;
}
