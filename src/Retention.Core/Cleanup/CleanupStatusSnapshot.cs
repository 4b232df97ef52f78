using Retention.Scheduling;
using Retention.Stores;

namespace Retention.Cleanup;

/// <summary>The cleanup status at one instant.</summary>
public sealed record CleanupStatusSnapshot
{
    /// <summary>Whether a run is in progress.</summary>
    public bool IsRunning => CurrentRun is not null;

    /// <summary>The run in progress, if any.</summary>
    public CleanupRunProgress? CurrentRun { get; init; }

    /// <summary>The last finished run (real or dry, from any trigger).</summary>
    public CleanupReport? LastReport { get; init; }

    /// <summary>The last finished run that the schedule started (trigger <see cref="CleanupTriggers.Schedule"/>).</summary>
    public CleanupReport? LastScheduledReport { get; init; }

    /// <summary>When the last run that completed without a failed job finished.</summary>
    public DateTimeOffset? LastSucceededAt { get; init; }

    /// <summary>The last run's error, or the last job failure's summary, if any run has failed.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Runs in a row that failed or left jobs uncleaned; a good run resets it.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the schedule runs next, when a schedule is running in this process.</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>
    /// The last scheduled occurrence this instance woke for and left to another instance of the fleet (which held the
    /// leader lock, or had already run it), when a schedule is running in this process; <see langword="null"/> when none.
    /// </summary>
    public SkippedOccurrence? LastSkippedOccurrence { get; init; }

    /// <summary>
    /// Status words in the store that no status is mapped to, as last checked (at start-up and at the start of each run):
    /// their jobs are never cleaned. Empty when every word is mapped, or the store cannot tell.
    /// </summary>
    public IReadOnlyList<UnmappedStatusWord> UnmappedStatuses { get; init; } = [];
}
