using Retention.Scheduling;

namespace Retention.Hosting;

/// <summary>
/// <see cref="BackgroundCleanupOptions"/> resolved into schedules, once: the validator reports the errors this finds at start,
/// and the services use the result, so both read the options the same way.
/// </summary>
internal sealed class BackgroundCleanupSettings
{
    private const string Section = BackgroundCleanupOptions.SectionName;
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumDeletingAge = TimeSpan.FromHours(1);

    private BackgroundCleanupSettings(CleanupSchedule schedule, CleanupSchedule orphanSchedule)
    {
        Schedule = schedule;
        OrphanSchedule = orphanSchedule;
    }

    /// <summary>The cleanup schedule (valid even when not enabled, so the status can show it).</summary>
    public CleanupSchedule Schedule { get; }

    /// <summary>The orphan sweep schedule.</summary>
    public CleanupSchedule OrphanSchedule { get; }

    /// <summary>Resolves <paramref name="options"/>, adding every problem to <paramref name="errors"/> with its key.</summary>
    public static BackgroundCleanupSettings Resolve(BackgroundCleanupOptions options, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        errors ??= [];
        var zone = ResolveZone(options.TimeZone, errors);
        var schedule = ResolveSchedule(options.Schedule, zone, ScheduleAliases.ScheduleErrorKey(options, errors), errors);
        var orphanSchedule = ResolveSchedule(options.Orphans?.Schedule, zone, $"{Section}:Orphans:Schedule", errors);
        Positive(options.Reaper?.Interval ?? TimeSpan.Zero, $"{Section}:Reaper:Interval", errors);
        Positive(options.UsageRefreshInterval, $"{Section}:UsageRefreshInterval", errors);
        Within(options.ClockCheckInterval, TimeSpan.FromTicks(1), OneDay, $"{Section}:ClockCheckInterval", errors);
        Within(options.StartDelay, TimeSpan.Zero, OneDay, $"{Section}:StartDelay", errors);

        // Jitter as long as the period would push a run past the next one's time, skipping it.
        var period = schedule.PeriodAt(DateTimeOffset.UtcNow);
        if (options.Jitter < TimeSpan.Zero || options.Jitter >= period)
        {
            errors.Add($"{Section}:Jitter must be at least 0 and shorter than the schedule's period ({period}); it is {options.Jitter}.");
        }

        NotNegative(options.Orphans?.MinimumAge ?? TimeSpan.Zero, $"{Section}:Orphans:MinimumAge", errors);
        if (options.Orphans is { Delete: true } orphans && orphans.MinimumAge < MinimumDeletingAge)
        {
            // A job's files can exist before its record does: deleting young unreferenced paths would race the job's own writes.
            errors.Add($"{Section}:Orphans:MinimumAge must be at least {MinimumDeletingAge} when Orphans:Delete is on; it is {orphans.MinimumAge}.");
        }
        if (options.Outlook is { } outlook)
        {
            NotNegative(outlook.RefreshInterval, $"{Section}:Outlook:RefreshInterval", errors);
            Positive(outlook.DegradedAfter, $"{Section}:Outlook:DegradedAfter", errors);
            Positive(outlook.NoticeWindow, $"{Section}:Outlook:NoticeWindow", errors);
            if (outlook.SendNotice && outlook.RefreshInterval == TimeSpan.Zero)
            {
                errors.Add($"{Section}:Outlook:SendNotice needs the outlook on; Outlook:RefreshInterval is 0.");
            }
        }

        if (options.Reaper is null || options.Orphans is null || options.Outlook is null)
        {
            errors.Add($"{Section}: Reaper, Orphans and Outlook may not be null.");
        }

        return new BackgroundCleanupSettings(schedule, orphanSchedule);
    }

    private static TimeZoneInfo ResolveZone(string? id, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(id) || string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add($"{Section}:TimeZone: '{id}' is not a time zone this machine knows; use an IANA id such as Europe/Berlin (install tzdata on Linux).");
            return TimeZoneInfo.Utc;
        }
    }

    private static CleanupSchedule ResolveSchedule(string? text, TimeZoneInfo zone, string key, List<string> errors)
    {
        if (CleanupSchedule.TryParse(text, zone, out var schedule, out var error))
        {
            return schedule!;
        }

        errors.Add($"{key}: {error}.");
        return CleanupSchedule.Every(TimeSpan.FromDays(1));
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive; it is {value}.");
        }
    }

    private static void Within(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> errors)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}; it is {value}.");
        }
    }

    private static void NotNegative(TimeSpan value, string key, List<string> errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{key} may not be negative; it is {value}.");
        }
    }
}
