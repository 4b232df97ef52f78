namespace Retention.Scheduling;

/// <summary>The three forms a cleanup schedule takes.</summary>
public enum CleanupScheduleKind
{
    /// <summary>Once a day at a wall-clock time in a time zone (seed 002's <c>cleanup_time="03:00"</c>).</summary>
    Daily,

    /// <summary>A five-field cron expression in a time zone (the seed's <c>0 2 * * *</c>).</summary>
    Cron,

    /// <summary>A fixed interval (seed 001's every 60 seconds, every 24 hours).</summary>
    Interval,
}
