using System.Globalization;

namespace Retention;

/// <summary>Formats byte counts as the tool prints them: <c>45.0 GB</c>, <c>250.0 MB</c>, <c>512 B</c> (binary units, one decimal).</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>Formats <paramref name="bytes"/> for people.</summary>
    /// <param name="bytes">A byte count.</param>
    /// <returns>For example <c>15.0 GB</c>.</returns>
    public static string Format(long bytes)
    {
        if (bytes < 1024 && bytes > -1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
