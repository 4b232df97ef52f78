using Retention.Cleanup;

namespace Retention.Cli.Output;

/// <summary>How the tool shows things: the store's status words, paths relative to where it runs, directories with a slash.</summary>
internal static class Display
{
    /// <summary>The stored status words: <c>completed</c> for succeeded jobs.</summary>
    public static string Status(JobStatus status) => status == JobStatus.Succeeded ? "completed" : status.ToWord();

    public static string Path(CliContext context, string path, bool isDirectory)
    {
        var relative = System.IO.Path.GetRelativePath(context.WorkingDirectory, path);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative) ? path : relative;
        return isDirectory ? shown.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar : shown;
    }

    public static string Age(JobCleanupDetail job) => Policies.RetentionPeriod.Describe(job.Age);

    /// <summary>A size as the classic cleanup scripts printed it: a whole number of the largest unit that fits (<c>250 MB</c>, <c>15 GB</c>).</summary>
    public static string ClassicSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return $"{Math.Round(value, MidpointRounding.AwayFromZero).ToString("0", System.Globalization.CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>An age as the classic scripts printed it, whole days whatever the number, so one pattern reads every line (<c>8 days old</c>, <c>0 days old</c>).</summary>
    public static string ClassicAge(TimeSpan age) => $"{(int)age.TotalDays} days old";
}
