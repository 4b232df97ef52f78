using Microsoft.Extensions.Logging;

namespace Retention.Cli.Output;

/// <summary>
/// Prints the library's log events as verbose output lines: <c>[INFO] Starting job cleanup process...</c>. In the classic
/// format the job printer writes the scripts' own information lines, so only warnings, errors and debug lines come from here.
/// </summary>
internal sealed class VerboseLoggerProvider(TextWriter output, bool classic = false) : ILoggerProvider
{
    // The per-job lines come from the report, in the store's own status words; the live log would say them twice.
    private static readonly HashSet<string> PrintedFromReport = ["CleaningJob", "WouldCleanJob", "ArtifactDeleted", "ArtifactWouldBeDeleted", "DryRunSummary", "CleanedByStatus", "PinnedJobKept"];

    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new VerboseLogger(this, categoryName.StartsWith("Retention", StringComparison.Ordinal));

    public void Dispose()
    {
    }

    private void Write(LogLevel level, EventId eventId, string message)
    {
        if ((eventId.Name is not null && PrintedFromReport.Contains(eventId.Name)) || (classic && level == LogLevel.Information))
        {
            return;
        }

        var tag = level switch
        {
            LogLevel.Debug or LogLevel.Trace => "[DEBUG]",
            LogLevel.Information => "[INFO]",
            LogLevel.Warning => "[WARNING]",
            _ => "[ERROR]",
        };
        lock (_gate)
        {
            output.WriteLine(message.StartsWith('[') ? message : $"{tag} {message}");
        }
    }

    private sealed class VerboseLogger(VerboseLoggerProvider owner, bool enabled) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => enabled && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, eventId, formatter(state, exception));
            }
        }
    }
}
