using System.Globalization;
using Retention.Configuration;

namespace Retention.Policies;

/// <summary>
/// How long a rule keeps data: for an age since completion, while the job is among the newest N, or forever.
/// Zero and negative ages are refused: say <see cref="Immediately"/> or <see cref="Forever"/> in words instead.
/// </summary>
public readonly struct RetentionPeriod : IEquatable<RetentionPeriod>
{
    private RetentionPeriod(RetentionPeriodKind kind, TimeSpan age, int count)
    {
        Kind = kind;
        Age = age;
        Count = count;
    }

    /// <summary>How the period decides.</summary>
    public RetentionPeriodKind Kind { get; }

    /// <summary>For <see cref="RetentionPeriodKind.After"/>: the age at which data is due.</summary>
    public TimeSpan Age { get; }

    /// <summary>For <see cref="RetentionPeriodKind.KeepLast"/>: how many of the newest jobs are kept.</summary>
    public int Count { get; }

    /// <summary>Never due: the data is kept forever.</summary>
    public static RetentionPeriod Forever { get; } = new(RetentionPeriodKind.Forever, TimeSpan.Zero, 0);

    /// <summary>Due as soon as the job has finished.</summary>
    public static RetentionPeriod Immediately { get; } = new(RetentionPeriodKind.After, TimeSpan.Zero, 0);

    /// <summary>Whether this is <see cref="Immediately"/>.</summary>
    public bool IsImmediate => Kind == RetentionPeriodKind.After && Age == TimeSpan.Zero;

    /// <summary>Due <paramref name="age"/> after the job finished.</summary>
    /// <param name="age">A positive age.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The age is zero or negative.</exception>
    public static RetentionPeriod After(TimeSpan age)
    {
        if (age <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(age), age, "A retention age must be positive; use RetentionPeriod.Immediately or RetentionPeriod.Forever to say zero or never in words.");
        }

        return new RetentionPeriod(RetentionPeriodKind.After, age, 0);
    }

    /// <summary>Kept while the job is among the newest <paramref name="count"/> finished jobs of its type and status.</summary>
    /// <param name="count">At least 1.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1.</exception>
    public static RetentionPeriod KeepLast(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Keep-last needs a count of at least 1; use RetentionPeriod.Immediately to keep none.");
        }

        return new RetentionPeriod(RetentionPeriodKind.KeepLast, TimeSpan.Zero, count);
    }

    /// <summary>
    /// Parses the configuration form: <c>168h</c>, <c>7d</c>, <c>30m</c>, <c>7.00:00:00</c>, <c>forever</c> (or <c>never</c>),
    /// <c>immediately</c>, <c>keep-last 5</c>.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="period">The parsed period.</param>
    /// <param name="error">Why the text was refused.</param>
    /// <returns><see langword="true"/> when the text is valid.</returns>
    public static bool TryParse(string? text, out RetentionPeriod period, out string? error)
    {
        period = default;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = "a retention is required (for example 168h, 7d, forever, immediately, keep-last 5)";
            return false;
        }

        var lower = value.ToLowerInvariant();
        if (lower is "forever" or "never")
        {
            period = Forever;
            return true;
        }

        if (lower == "immediately")
        {
            period = Immediately;
            return true;
        }

        if (lower.StartsWith("keep-last", StringComparison.Ordinal))
        {
            var rest = lower["keep-last".Length..].Trim(' ', ':', '=');
            if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                error = $"'{value}' needs a whole number of jobs of at least 1, as in 'keep-last 5'";
                return false;
            }

            period = KeepLast(count);
            return true;
        }

        switch (DurationText.Read(value, out var age))
        {
            case DurationText.Problem.NoUnit:
                error = DurationText.NoUnit(value); // .NET reads "168" as 168 days, the old scripts meant hours
                return false;
            case DurationText.Problem.TooLong:
                error = $"'{value}' is too long a retention; say 'forever' in words instead";
                return false;
            case DurationText.Problem.NotADuration:
                error = $"'{value}' is not a retention; use an age such as 168h, 7d or 7.00:00:00, or forever, immediately, keep-last 5";
                return false;
        }

        if (age <= TimeSpan.Zero)
        {
            error = $"'{value}' is not a positive age; say 'immediately' or 'forever' in words instead";
            return false;
        }

        period = After(age);
        return true;
    }

    /// <summary>Parses the configuration form, throwing on bad input.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The period.</returns>
    /// <exception cref="FormatException">The text is not a valid retention.</exception>
    public static RetentionPeriod Parse(string text) =>
        TryParse(text, out var period, out var error) ? period : throw new FormatException(error);

    /// <summary>Formats an age as people say it: "7 days", "12 hours", "8.2 days", "42 minutes".</summary>
    /// <param name="age">The age.</param>
    /// <returns>The words.</returns>
    public static string Describe(TimeSpan age)
    {
        static string Unit(double value, string unit)
        {
            var rounded = Math.Round(value, 1);
            var number = rounded == Math.Floor(rounded)
                ? rounded.ToString("0", CultureInfo.InvariantCulture)
                : rounded.ToString("0.0", CultureInfo.InvariantCulture);
            return number == "1" ? $"1 {unit}" : $"{number} {unit}s";
        }

        if (age < TimeSpan.Zero)
        {
            age = age.Negate();
        }

        if (age.TotalDays >= 1)
        {
            return Unit(age.TotalDays, "day");
        }

        if (age.TotalHours >= 1)
        {
            return Unit(age.TotalHours, "hour");
        }

        return age.TotalMinutes >= 1 ? Unit(age.TotalMinutes, "minute") : Unit(age.TotalSeconds, "second");
    }

    /// <summary>Compares two periods.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when they are the same.</returns>
    public static bool operator ==(RetentionPeriod left, RetentionPeriod right) => left.Equals(right);

    /// <summary>Compares two periods.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(RetentionPeriod left, RetentionPeriod right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(RetentionPeriod other) => Kind == other.Kind && Age == other.Age && Count == other.Count;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RetentionPeriod other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Age, Count);

    /// <summary>The period in words: "7 days", "immediately", "forever", "the newest 5".</summary>
    /// <returns>The words.</returns>
    public override string ToString() => Kind switch
    {
        RetentionPeriodKind.Forever => "forever",
        RetentionPeriodKind.KeepLast => $"the newest {Count}",
        _ => IsImmediate ? "immediately" : Describe(Age),
    };
}
