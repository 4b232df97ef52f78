using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Retention.Hosting;

/// <summary>
/// A hosted service running one loop. Unlike <see cref="BackgroundService"/>, start and stop are idempotent: a second start
/// while running does nothing, a stop without a start does nothing, and a stopped loop can start again.
/// </summary>
internal abstract class BackgroundLoop : IHostedService, IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_loop is null)
            {
                _stopping = new CancellationTokenSource();
                var token = _stopping.Token;
                _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        CancellationTokenSource? stopping;
        lock (_gate)
        {
            (loop, stopping) = (_loop, _stopping);
        }

        if (loop is null || stopping is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // The run in progress finishes its current job and records itself; the host's shutdown timeout bounds the wait.
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (loop.IsCompleted || cancellationToken.IsCancellationRequested)
        {
        }

        lock (_gate)
        {
            if (ReferenceEquals(_loop, loop) && loop.IsCompleted)
            {
                _loop = null;
                _stopping = null;
                stopping.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the loop without waiting; a derived class releases what it owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _stopping?.Cancel();
        }
    }

    /// <summary>The loop; it returns when <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>
    /// Runs <paramref name="body"/> at each instant <paramref name="next"/> gives (computed from the clock after each pass) until stopped,
    /// the first time at once when <paramref name="startNow"/>. A pass that throws is logged and does not stop the loop: the work runs again at its next time.
    /// </summary>
    protected static async Task RepeatAsync(string work, TimeProvider time, Func<DateTimeOffset, DateTimeOffset> next, bool startNow, Func<CancellationToken, Task> body, ILogger logger, CancellationToken stoppingToken)
    {
        try
        {
            for (var pass = 0; !stoppingToken.IsCancellationRequested; pass++)
            {
                if (pass > 0 || !startNow)
                {
                    await WaitUntilAsync(time, next(time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
                }

                try
                {
                    await body(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    HostingLog.BackgroundWorkFailed(logger, ex, work, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until <paramref name="at"/> on <paramref name="time"/>, in steps a timer can hold, re-reading the clock after each.</summary>
    protected static async Task WaitUntilAsync(TimeProvider time, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var wait = at - time.GetUtcNow(); wait > TimeSpan.Zero; wait = at - time.GetUtcNow())
        {
            await Task.Delay(wait < MaxTimerStep ? wait : MaxTimerStep, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan MaxTimerStep = TimeSpan.FromDays(1);
}
