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
}
