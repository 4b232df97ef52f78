namespace Retention.Scheduling;

/// <summary>The three forms a cleanup schedule takes.</summary>
public enum CleanupScheduleKind
{
    /// <summary>Once a day at a wall-clock time in a time zone (<c>03:00</c>).</summary>
    Daily,

    /// <summary>A five-field cron expression in a time zone (<c>0 2 * * *</c>).</summary>
    Cron,

    /// <summary>A fixed interval (every 60 seconds, every 24 hours).</summary>
    Interval,
}
