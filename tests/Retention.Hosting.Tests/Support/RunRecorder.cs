using System.Threading.Channels;
using Retention.Cleanup;

namespace Retention.Hosting.Tests.Support;

/// <summary>A notifier that hands each finished run's report to the test, so it can wait for a run without sleeping.</summary>
internal sealed class RunRecorder : ICleanupNotifier
{
    private readonly Channel<CleanupReport> _reports = Channel.CreateUnbounded<CleanupReport>();

    public ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        _reports.Writer.TryWrite(report);
        return ValueTask.CompletedTask;
    }

    /// <summary>The next run's report; fails after 10 s of real time.</summary>
    public async Task<CleanupReport> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _reports.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Whether a report is waiting.</summary>
    public bool HasReport => _reports.Reader.TryPeek(out _);
}
