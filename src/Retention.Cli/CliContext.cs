namespace Retention.Cli;

/// <summary>Everything the tool reads from its surroundings, so tests run it in-process on a temporary tree.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="WorkingDirectory">Where relative paths (./jobs.db, ./uploads) start.</param>
/// <param name="Environment">The environment variables.</param>
/// <param name="IsTerminal">Whether output goes to a terminal (a live progress display) or is redirected (none).</param>
/// <param name="Time">The clock.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, string WorkingDirectory, IReadOnlyDictionary<string, string?> Environment, bool IsTerminal, TimeProvider Time)
{
    /// <summary>The real process's context.</summary>
    /// <returns>The context.</returns>
    public static CliContext FromProcess() => new(
        // Redirected output (a pipe, a cron log) is buffered: a line per job is a write per job otherwise. The tool flushes
        // it before each line on standard error and at the end.
        Console.IsOutputRedirected ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024) { AutoFlush = false } : Console.Out,
        Console.Error,
        System.Environment.CurrentDirectory,
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        !Console.IsOutputRedirected,
        TimeProvider.System);

    /// <summary>Resolves a path given on the command line, in a file or in the environment against the working directory.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The full path.</returns>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
