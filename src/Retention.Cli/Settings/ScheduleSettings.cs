using System.Globalization;
using Retention.Scheduling;

namespace Retention.Cli.Settings;

/// <summary>
/// Whether scheduling is on and when it runs, for <c>retention schedule</c>, each with the key that decided it. Precedence:
/// <c>--at</c>, then <c>JobCleanup__Background__Enabled</c> / <c>__Schedule</c> (a host's keys), then
/// <c>EEMT_ENABLE_AUTO_CLEANUP</c> / <c>EEMT_CLEANUP_SCHEDULE</c>, then the config file's <c>schedule.enabled</c> /
/// <c>schedule.cron</c>, then the default (on, daily at 02:00).
/// </summary>
internal sealed record ScheduleSettings(Sourced<bool> Enabled, Sourced<string> Cron, string? TimeZone)
{
    public const string DefaultCron = "0 2 * * *";

    public const string EnabledVariable = "JobCleanup__Background__Enabled";

    public const string ScheduleVariable = "JobCleanup__Background__Schedule";

    public const string TimeZoneVariable = "JobCleanup__Background__TimeZone";

    public const string AutoCleanupVariable = "EEMT_ENABLE_AUTO_CLEANUP";

    public const string CronVariable = "EEMT_CLEANUP_SCHEDULE";

    /// <summary>The five cron fields (minute hour day month weekday).</summary>
    public string[] Fields => Cron.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"EEMT_ENABLE_AUTO_CLEANUP=false": the key and value that turned scheduling off, for messages.</summary>
    public string OffBecause => Enabled.Source == "default" ? "off" : $"{Enabled.Source}=false";

    public static ScheduleSettings Resolve(string? at, IReadOnlyDictionary<string, string?> environment, ConfigFile file, string fileName)
    {
        var enabled = Variable(environment, EnabledVariable) is { } e ? new Sourced<bool>(Bool(EnabledVariable, e), EnabledVariable)
            : Variable(environment, AutoCleanupVariable) is { } legacy ? new Sourced<bool>(Bool(AutoCleanupVariable, legacy), AutoCleanupVariable)
            : file.Schedule?.Enabled is { } fromFile ? new Sourced<bool>(fromFile, fileName + "schedule.enabled")
            : new Sourced<bool>(true, "default");

        var cron = at is not null ? new Sourced<string>(at, "--at")
            : Variable(environment, ScheduleVariable) is { } s ? new Sourced<string>(s, ScheduleVariable)
            : Variable(environment, CronVariable) is { } c ? new Sourced<string>(c, CronVariable)
            : !string.IsNullOrWhiteSpace(file.Schedule?.Cron) ? new Sourced<string>(file.Schedule.Cron, fileName + "schedule.cron")
            : new Sourced<string>(DefaultCron, "default");

        var zone = Variable(environment, TimeZoneVariable);
        if (zone is not null && !string.Equals(zone, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                _ = TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new UsageException($"{TimeZoneVariable}: '{zone}' is not a time zone this machine knows; use an IANA id such as Europe/Berlin.");
            }
        }

        return new ScheduleSettings(enabled, new Sourced<string>(ToCron(cron), cron.Source), zone);
    }

    /// <summary>
    /// A crontab line needs a cron expression. A host's other schedule forms are turned into one where cron can say the
    /// same (a daily time, an interval that divides an hour or a day); anything else is refused, naming its source.
    /// </summary>
    private static string ToCron(Sourced<string> given)
    {
        var text = given.Value.Trim();
        if (!CleanupSchedule.TryParse(text, null, out var schedule, out var error))
        {
            var allowed = given.Source == ScheduleVariable
                ? "use a cron expression (0 2 * * *), a daily time (03:00) or an interval that divides an hour or a day (every 6h)"
                : "use a cron expression of five fields: minute hour day month weekday, as in 0 2 * * *";
            throw new UsageException($"{given.Source}: '{text}' is not a schedule; {allowed}.");
        }

        switch (schedule!.Kind)
        {
            case CleanupScheduleKind.Cron:
                return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            case CleanupScheduleKind.Daily when given.Source == ScheduleVariable:
                var time = TimeOnly.Parse(text, CultureInfo.InvariantCulture);
                return string.Create(CultureInfo.InvariantCulture, $"{time.Minute} {time.Hour} * * *");
            case CleanupScheduleKind.Interval when given.Source == ScheduleVariable:
                var interval = schedule.Interval;
                if (interval.TotalMinutes is var minutes and >= 1 and < 60 && minutes == Math.Floor(minutes) && 60 % (int)minutes == 0)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"*/{(int)minutes} * * * *");
                }

                if (interval.TotalHours is var hours and >= 1 and <= 24 && hours == Math.Floor(hours) && 24 % (int)hours == 0)
                {
                    return hours == 24 ? "0 0 * * *" : string.Create(CultureInfo.InvariantCulture, $"0 */{(int)hours} * * *");
                }

                throw new UsageException($"{given.Source}: '{text}' cannot be written as a cron line; use a cron expression, a daily time, or an interval that divides an hour or a day (every 15m, every 6h).");
            default:
                throw new UsageException($"{given.Source}: '{text}' is not a cron expression; use five fields: minute hour day month weekday, as in 0 2 * * *.");
        }
    }

    /// <summary>A true/false variable as the tool reads them all (1/0, yes/no, on/off too).</summary>
    public static bool Bool(string key, string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new UsageException($"{key}: '{text}' is not true or false."),
    };

    // A blank variable is unset, as everywhere else. Surrounding quotes are dropped: a compose file's list form
    // (- NAME="0 2 * * *") passes them on as part of the value.
    private static string? Variable(IReadOnlyDictionary<string, string?> environment, string key) =>
        environment.GetValueOrDefault(key) is { } raw && Unquote(raw.Trim()) is { Length: > 0 } value ? value : null;

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0], value[^1]) is ('"', '"') or ('\'', '\'') ? value[1..^1].Trim() : value;
}
