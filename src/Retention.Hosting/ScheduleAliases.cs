using Microsoft.Extensions.Configuration;
using Retention.Scheduling;

namespace Retention.Hosting;

/// <summary>
/// <c>EEMT_ENABLE_AUTO_CLEANUP</c> and <c>EEMT_CLEANUP_SCHEDULE</c>, top-level keys of a host's configuration (environment
/// variables land there), read as aliases of <c>JobCleanup:Background:Enabled</c> and <c>:Schedule</c> when those are not
/// set. Which key decided each value is remembered, so start-up can say it and errors can name it.
/// </summary>
internal static class ScheduleAliases
{
    public const string EnabledAlias = "EEMT_ENABLE_AUTO_CLEANUP";
    public const string ScheduleAlias = "EEMT_CLEANUP_SCHEDULE";
    public const string EnabledKey = BackgroundCleanupOptions.SectionName + ":Enabled";
    public const string ScheduleKey = BackgroundCleanupOptions.SectionName + ":Schedule";

    /// <summary>Applies the aliases to options just bound from <paramref name="configuration"/>.</summary>
    public static void Apply(BackgroundCleanupOptions options, IConfiguration configuration)
    {
        var enabledAlias = Value(configuration, EnabledAlias);
        if (Value(configuration, EnabledKey) is not null)
        {
            options.EnabledSetBy = (EnabledKey, options.Enabled);
            Shadowed(options, EnabledAlias, enabledAlias, EnabledKey);
        }
        else if (enabledAlias is not null)
        {
            if (TryReadBool(enabledAlias, out var enabled))
            {
                options.Enabled = enabled;
                options.EnabledSetBy = (EnabledAlias, enabled);
            }
            else
            {
                options.ConfigurationProblems.Add($"{EnabledAlias}: '{enabledAlias}' is not true or false (it stands for {EnabledKey}).");
            }
        }

        var scheduleAlias = Value(configuration, ScheduleAlias);
        if (Value(configuration, ScheduleKey) is not null)
        {
            options.ScheduleSetBy = (ScheduleKey, options.Schedule);
            Shadowed(options, ScheduleAlias, scheduleAlias, ScheduleKey);
        }
        else if (scheduleAlias is not null)
        {
            options.Schedule = scheduleAlias;
            options.ScheduleSetBy = (ScheduleAlias, scheduleAlias);
        }
    }

    /// <summary>The key that decided the schedule: an alias or the library's key, "the default", or code.</summary>
    public static string ScheduleSource(BackgroundCleanupOptions options) =>
        options.ScheduleSetBy is { } set && set.Value == options.Schedule ? set.Key
        : options.ScheduleSetBy is null && options.Schedule == BackgroundCleanupOptions.DefaultSchedule ? "the default"
        : "code (BackgroundCleanupOptions.Schedule)";

    /// <summary>The key that decided whether the schedule is on, with its value, as in <c>EEMT_ENABLE_AUTO_CLEANUP=false</c>.</summary>
    public static string EnabledSource(BackgroundCleanupOptions options) =>
        options.EnabledSetBy is { } set && set.Value == options.Enabled ? $"{set.Key}={(set.Value ? "true" : "false")}"
        : options.EnabledSetBy is null && options.Enabled ? "default"
        : $"BackgroundCleanupOptions.Enabled={(options.Enabled ? "true" : "false")}, set in code";

    /// <summary>
    /// The key a schedule error names: the alias when it gave the value, the library's key otherwise. The alias, like the
    /// old variable, takes a cron expression only: another valid schedule form given through it is an error here.
    /// </summary>
    public static string ScheduleErrorKey(BackgroundCleanupOptions options, List<string> errors)
    {
        if (ScheduleSource(options) != ScheduleAlias)
        {
            return ScheduleKey;
        }

        if (CleanupSchedule.TryParse(options.Schedule, null, out var parsed, out _) && parsed!.Kind != CleanupScheduleKind.Cron)
        {
            errors.Add($"{ScheduleAlias}: '{options.Schedule}' is not a cron expression; write five fields (minute hour day month weekday), as in 0 2 * * *, or set {ScheduleKey} for a daily time or an interval.");
        }

        return ScheduleAlias;
    }

    private static void Shadowed(BackgroundCleanupOptions options, string alias, string? aliasValue, string key)
    {
        if (aliasValue is not null)
        {
            options.ShadowedAliases.Add($"{alias}={aliasValue} is not used: {key} is set and wins");
        }
    }

    // Blank is unset, as everywhere in the JobCleanup section. Quotes around the whole value are dropped: a compose
    // file's list form (- EEMT_CLEANUP_SCHEDULE="0 2 * * *") passes them on as part of it.
    private static string? Value(IConfiguration configuration, string key)
    {
        var value = configuration[key]?.Trim();
        if (value is { Length: >= 2 } && (value[0], value[^1]) is ('"', '"') or ('\'', '\''))
        {
            value = value[1..^1].Trim();
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool TryReadBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
