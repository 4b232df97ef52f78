using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Retention.Configuration;

/// <summary>
/// The one way a duration is written in configuration, everywhere: a number with a unit (<c>7d</c>, <c>12h</c>,
/// <c>30m</c>, <c>45s</c>) or a time span with colons (<c>00:30:00</c>, <c>7.00:00:00</c>). A bare number is refused:
/// .NET reads <c>168</c> as 168 days while the old scripts meant hours, so the unit must be said.
/// </summary>
internal static class DurationText
{
    /// <summary>What a duration looks like, for messages.</summary>
    public const string Forms = "a number with a unit (7d, 12h, 30m, 45s) or a time span (00:30:00, 7.00:00:00)";

    /// <summary>Why a text is no duration.</summary>
    public enum Problem
    {
        None,
        Empty,
        NoUnit,
        TooLong,
        NotADuration,
    }

    public static bool TryParse(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        var value = text?.Trim() ?? string.Empty;
        error = Read(value, out duration) switch
        {
            Problem.None => null,
            Problem.Empty => "a duration is required: " + Forms,
            Problem.NoUnit => NoUnit(value),
            Problem.TooLong => $"'{value}' is too long a duration",
            _ => $"'{value}' is not a duration; write {Forms}",
        };
        return error is null;
    }

    /// <summary>The message for a bare number: which unit to add.</summary>
    public static string NoUnit(string value) => $"'{value}' has no unit; write {value}h for hours or {value}d for days";

    /// <summary>Reads a trimmed duration; callers word their own messages.</summary>
    public static Problem Read(string value, out TimeSpan duration)
    {
        duration = default;
        if (value.Length == 0)
        {
            return Problem.Empty;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return Problem.NoUnit;
        }

        var unit = char.ToLowerInvariant(value[^1]);
        if (unit is 'd' or 'h' or 'm' or 's' && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            var seconds = amount * unit switch { 'd' => 86400.0, 'h' => 3600.0, 'm' => 60.0, _ => 1.0 };
            if (double.IsNaN(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds)
            {
                return Problem.TooLong;
            }

            duration = TimeSpan.FromSeconds(seconds);
            return Problem.None;
        }

        return value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration)
            ? Problem.None
            : Problem.NotADuration;
    }
}
