using System.Globalization;

namespace Retention.Sqlite;

/// <summary>Times are stored as UTC ISO-8601 text (<c>2024-01-20T02:00:00.000000Z</c>), which sorts and compares as text, as the seed's queries expect.</summary>
internal static class SqliteTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Write(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static object Write(DateTimeOffset? time) => time is null ? DBNull.Value : Write(time.Value);

    /// <summary>Reads ISO-8601 with or without an offset (no offset means UTC), and SQLite's <c>CURRENT_TIMESTAMP</c> form.</summary>
    public static DateTimeOffset? Read(object value) => value switch
    {
        null or DBNull => null,
        string text when string.IsNullOrWhiteSpace(text) => null,
        string text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time)
            ? time.ToUniversalTime()
            : throw new FormatException($"'{text}' is not a time"),
        long unixSeconds => DateTimeOffset.FromUnixTimeSeconds(unixSeconds),
        double julian => DateTimeOffset.FromUnixTimeMilliseconds((long)((julian - 2440587.5) * 86400000)),
        _ => throw new FormatException($"'{value}' is not a time"),
    };
}
