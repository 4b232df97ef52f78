using System.Globalization;
using NCrontab;

namespace Retention.Scheduling;

/// <summary>
/// When cleanups run: daily at a time, by cron, or at an interval. Wall-clock forms are computed in their time zone
/// (UTC by default) and stay right across midnight and daylight-saving changes: a time that does not exist (the hour
/// skipped in spring) runs when the clock jumps past it; a time that happens twice (the hour repeated in autumn) runs once,
/// at its first occurrence. An interval's occurrences are the multiples of the interval since the Unix epoch
/// (1970-01-01 00:00 UTC), not counted from when a process started, so every replica of a fleet names the same instants.
/// </summary>
public sealed class CleanupSchedule
{
    private readonly TimeOnly _at;
    private readonly CrontabSchedule? _cron;

    private CleanupSchedule(CleanupScheduleKind kind, TimeZoneInfo zone, TimeOnly at, CrontabSchedule? cron, TimeSpan interval, string text)
    {
        Kind = kind;
        TimeZone = zone;
        _at = at;
        _cron = cron;
        Interval = interval;
        Text = text;
    }

    /// <summary>The form.</summary>
    public CleanupScheduleKind Kind { get; }

    /// <summary>The zone wall-clock forms are computed in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>For <see cref="CleanupScheduleKind.Interval"/>: the interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The schedule as written: <c>03:00</c>, <c>0 2 * * *</c>, <c>every 6h</c>.</summary>
    public string Text { get; }

    /// <summary>Runs once a day at <paramref name="at"/> in <paramref name="zone"/>.</summary>
    /// <param name="at">The wall-clock time.</param>
    /// <param name="zone">The zone; UTC when <see langword="null"/>.</param>
    /// <returns>The schedule.</returns>
    public static CleanupSchedule Daily(TimeOnly at, TimeZoneInfo? zone = null) =>
        new(CleanupScheduleKind.Daily, zone ?? TimeZoneInfo.Utc, at, null, TimeSpan.Zero, at.ToString("HH:mm", CultureInfo.InvariantCulture));

    /// <summary>Runs by a five-field cron expression in <paramref name="zone"/>.</summary>
    /// <param name="expression">Minute, hour, day of month, month, day of week.</param>
    /// <param name="zone">The zone; UTC when <see langword="null"/>.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="FormatException">The expression is not valid.</exception>
    public static CleanupSchedule Cron(string expression, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var cron = CrontabSchedule.TryParse(expression.Trim()) ?? throw new FormatException($"'{expression}' is not a cron expression of five fields (minute hour day month weekday).");
        return new(CleanupScheduleKind.Cron, zone ?? TimeZoneInfo.Utc, default, cron, TimeSpan.Zero, expression.Trim());
    }

    /// <summary>
    /// Runs every <paramref name="interval"/>, at the multiples of it since the Unix epoch (UTC): <c>every 10m</c> at :00,
    /// :10, :20; <c>every 6h</c> at 00:00, 06:00, 12:00 and 18:00 UTC, whenever the process started.
    /// </summary>
    /// <param name="interval">A positive interval.</param>
    /// <returns>The schedule.</returns>
    public static CleanupSchedule Every(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new(CleanupScheduleKind.Interval, TimeZoneInfo.Utc, default, null, interval, "every " + Policies.RetentionPeriod.Describe(interval));
    }

    /// <summary>Parses <c>03:00</c> (daily), <c>0 2 * * *</c> (cron), or <c>every 6h</c> / <c>every 00:01:00</c> (interval).</summary>
    /// <param name="text">The text.</param>
    /// <param name="zone">The zone for wall-clock forms; UTC when <see langword="null"/>.</param>
    /// <param name="schedule">The schedule.</param>
    /// <param name="error">Why the text was refused.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse(string? text, TimeZoneInfo? zone, out CleanupSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
        {
            var span = value[6..].Trim();
            if (Policies.RetentionPeriod.TryParse(span, out var period, out _) && period.Kind == Policies.RetentionPeriodKind.After && period.Age > TimeSpan.Zero)
            {
                schedule = Every(period.Age);
                return true;
            }

            error = $"'{value}' needs a positive interval, as in 'every 6h' or 'every 00:01:00'";
            return false;
        }

        if (TimeOnly.TryParseExact(value, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            schedule = Daily(at, zone);
            return true;
        }

        if (value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 && CrontabSchedule.TryParse(value) is not null)
        {
            schedule = Cron(value, zone);
            return true;
        }

        error = $"'{value}' is not a schedule; use a daily time (03:00), a cron expression (0 2 * * *), or an interval (every 6h)";
        return false;
    }

    /// <summary>The first run strictly after <paramref name="after"/>.</summary>
    /// <param name="after">The instant to start from.</param>
    /// <returns>The next run (UTC).</returns>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after)
    {
        if (Kind == CleanupScheduleKind.Interval)
        {
            return NextMultipleOfInterval(after);
        }

        var local = TimeZoneInfo.ConvertTime(after, TimeZone).DateTime;
        for (var candidate = NextLocal(local); ; candidate = NextLocal(candidate))
        {
            var instant = ToInstant(candidate);
            if (instant > after)
            {
                return instant.ToUniversalTime();
            }
        }
    }

    /// <summary>The time between two runs around <paramref name="at"/>: how late a run may be before it counts as missed.</summary>
    /// <param name="at">Where to measure.</param>
    /// <returns>The period.</returns>
    public TimeSpan PeriodAt(DateTimeOffset at)
    {
        if (Kind == CleanupScheduleKind.Interval)
        {
            return Interval;
        }

        var next = GetNextOccurrence(at);
        return GetNextOccurrence(next) - next;
    }

    /// <inheritdoc />
    public override string ToString() => Kind == CleanupScheduleKind.Interval || TimeZone == TimeZoneInfo.Utc ? Text : $"{Text} ({TimeZone.Id})";

    // The first multiple of the interval since the Unix epoch strictly after an instant: the same instant on every replica,
    // whatever its start time (floor division, so instants before the epoch align too).
    private DateTimeOffset NextMultipleOfInterval(DateTimeOffset after)
    {
        var sinceEpoch = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var periods = Math.DivRem(sinceEpoch, Interval.Ticks, out var remainder);
        if (remainder < 0)
        {
            periods--;
        }

        return DateTimeOffset.UnixEpoch.AddTicks((periods + 1) * Interval.Ticks);
    }

    // The next wall-clock time the schedule names, after a wall-clock time.
    private DateTime NextLocal(DateTime local)
    {
        if (_cron is not null)
        {
            return _cron.GetNextOccurrence(local);
        }

        var today = local.Date + _at.ToTimeSpan();
        return today > local ? today : today.AddDays(1);
    }

    // A wall-clock time in the zone as an instant. Skipped (spring) times run when the clock jumps past them;
    // repeated (autumn) times map to their first occurrence, so they run once.
    private DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = TimeZone.IsAmbiguousTime(local) ? TimeZone.GetAmbiguousTimeOffsets(local).Max() : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
