using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retention.Hosting.Diagnostics;

namespace Retention.Hosting.Scheduling;

/// <summary>
/// A hosted service running one loop. Unlike <see cref="BackgroundService"/>, start and stop are idempotent: a second start
/// while running does nothing, a stop without a start does nothing, a stopped loop can start again (after the previous one
/// has wound down), and an unexpected error is logged and ends only that loop, never the stop.
/// </summary>
/// <param name="time">The clock every wait is measured on.</param>
/// <param name="logger">Where unexpected errors go.</param>
/// <param name="clockCheck">The longest single wait: a long wait re-reads the clock this often, so a machine that slept catches up within it.</param>
internal abstract class BackgroundLoop(TimeProvider time, ILogger logger, TimeSpan clockCheck) : IHostedService, IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>What the loop does, for the log.</summary>
    protected abstract string Work { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_loop is { IsCompleted: false } && _stopping is { IsCancellationRequested: false })
            {
                return Task.CompletedTask; // already running
            }

            var previous = _loop ?? Task.CompletedTask;
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;

            // A loop still winding down from a stop that timed out finishes first; then the new one starts.
            _loop = previous.ContinueWith(_ => GuardedAsync(token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _stopping?.Cancel();
        }

        if (loop is null)
        {
            return;
        }

        try
        {
            // The run in progress finishes its current job and records itself; the host's shutdown timeout bounds the wait.
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
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
    protected async Task RepeatAsync(Func<DateTimeOffset, DateTimeOffset> next, bool startNow, Func<CancellationToken, Task> body, CancellationToken stoppingToken)
    {
        for (var pass = 0; !stoppingToken.IsCancellationRequested; pass++)
        {
            if (pass > 0 || !startNow)
            {
                await WaitUntilAsync(next(Time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
            }

            await PassAsync(body, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one pass of the work; an error other than the stop is logged, and the loop goes on.</summary>
    protected async Task PassAsync(Func<CancellationToken, Task> body, CancellationToken stoppingToken)
    {
        try
        {
            await body(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            HostingLog.BackgroundWorkFailed(logger, ex, Work, ex.Message);
        }
    }

    /// <summary>
    /// Waits until <paramref name="at"/>, in steps of at most the clock-check interval, re-reading the clock after each: timers
    /// run on a monotonic clock that stops while the machine sleeps, the schedule on the wall clock.
    /// </summary>
    protected async Task WaitUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var wait = at - Time.GetUtcNow(); wait > TimeSpan.Zero; wait = at - Time.GetUtcNow())
        {
            await Task.Delay(wait < clockCheck ? wait : clockCheck, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task GuardedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            HostingLog.BackgroundLoopEnded(logger, ex, Work, ex.Message);
        }
    }
}
