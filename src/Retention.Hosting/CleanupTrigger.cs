using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Retention.Cleanup;

namespace Retention.Hosting;

/// <summary>
/// The default <see cref="ICleanupTrigger"/>: the engine claims the run atomically; this service ties it to the host,
/// cancelling it when the host stops and waiting (within the shutdown timeout) until it has recorded itself.
/// </summary>
internal sealed class CleanupTrigger(IJobCleaner cleaner) : ICleanupTrigger, IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task<CleanupReport>, byte> _runs = new();

    // Each run's own source, linked to the host's stopping, so one run can be cancelled without stopping the others.
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _cancellations = new(StringComparer.Ordinal);
    private int _disposed;

    public CleanupStart Trigger(CleanupRequest? request = null)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var start = cleaner.Start(request ?? new CleanupRequest { Trigger = CleanupTriggers.OnDemand }, cancellation.Token);
        if (start.Completion is not { } run)
        {
            cancellation.Dispose();
            return start;
        }

        var runId = start.RunId ?? string.Empty;
        _cancellations[runId] = cancellation;
        _runs.TryAdd(run, 0);
        run.ContinueWith(
            done =>
            {
                _runs.TryRemove(done, out _);
                if (_cancellations.TryRemove(new KeyValuePair<string, CancellationTokenSource>(runId, cancellation)))
                {
                    cancellation.Dispose();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return start;
    }

    public bool Cancel(string runId)
    {
        if (!_cancellations.TryGetValue(runId, out var cancellation))
        {
            return false;
        }

        try
        {
            cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;   // finished between the lookup and the cancel
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may stop a service its container has already disposed (a test factory does): then there is nothing to stop.
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_runs.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
