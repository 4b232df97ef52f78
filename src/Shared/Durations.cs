using System.Globalization;

namespace Retention;

/// <summary>
/// Formats run times as hours, minutes and seconds with days in words (<c>0:07:42</c>, <c>1 day, 2:03:04</c>), the form the
/// reaper's reports and the HTTP API use. Internal to each package: the packages that need it compile this file in
/// themselves (linked in their project files), so no package depends on another's internals.
/// </summary>
internal static class Durations
{
    /// <summary>Formats <paramref name="duration"/> as hours, minutes and seconds, with days in words; negative is zero.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>For example <c>0:07:42</c> or <c>2 days, 0:45:00</c>.</returns>
    public static string ToClock(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var clock = string.Create(CultureInfo.InvariantCulture, $"{duration.Hours}:{duration.Minutes:00}:{duration.Seconds:00}");
        return duration.Days switch
        {
            0 => clock,
            1 => "1 day, " + clock,
            _ => string.Create(CultureInfo.InvariantCulture, $"{duration.Days} days, {clock}"),
        };
    }
}
