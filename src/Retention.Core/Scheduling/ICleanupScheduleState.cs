namespace Retention.Scheduling;

/// <summary>Implemented by whatever schedules runs in the process (the hosted scheduler), so <see cref="Cleanup.ICleanupStatus"/> can report the next run.</summary>
public interface ICleanupScheduleState
{
    /// <summary>When the schedule runs next; <see langword="null"/> when no run is scheduled.</summary>
    DateTimeOffset? NextRunAt { get; }

    /// <summary>The last occurrence this instance left to another instance of the fleet; <see langword="null"/> when none.</summary>
    SkippedOccurrence? LastSkippedOccurrence => null;
}
