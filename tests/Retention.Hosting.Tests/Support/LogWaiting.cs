namespace Retention.Hosting.Tests.Support;

/// <summary>Waits for a log line from work that runs after the code under test returns (a notifier, a background sweep).</summary>
internal static class LogWaiting
{
    /// <summary>Completes when a message starting with <paramref name="start"/> is logged; fails after 10 s of real time.</summary>
    public static async Task WaitForAsync(this ListLoggerProvider logs, string start)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!logs.Messages.Any(m => m.StartsWith(start, StringComparison.Ordinal)))
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
