using Microsoft.Extensions.Logging;
using Retention.Coordination;

namespace Retention.PostgreSql.Coordination;

/// <summary>
/// A held PostgreSQL leader lock. A heartbeat checks (or renews) it in the background; the moment a check fails,
/// <see cref="Lost"/> is cancelled and the run holding it stops before its next job.
/// </summary>
public abstract class PostgresLease : ICleanupLease
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Task _heartbeat = Task.CompletedTask;
    private int _disposed;

    private protected PostgresLease(string name, long? fencingToken, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        Name = name;
        FencingToken = fencingToken;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public long? FencingToken { get; }

    /// <inheritdoc />
    public CancellationToken Lost => _lost.Token;

    /// <summary>Releases the lock and stops the heartbeat. Safe to call twice.</summary>
    /// <returns>A task that completes when the lock is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A lock that cannot be released is released by the server anyway: when the session closes, or the lease lapses.
            PostgresLog.LeaseReleaseFailed(_logger, ex, Name, ex.Message);
        }
        finally
        {
            // Lost stays readable after disposal: a run may still look at it.
            _gate.Release();
            _stopping.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Confirms (or renews) that the lock is still held.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> while it is held.</returns>
    private protected abstract Task<bool> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lock up.</summary>
    /// <returns>A task that completes when it is released.</returns>
    private protected abstract Task ReleaseAsync();

    /// <summary>Whether a failed check means the lock is gone, or may be tried again at the next heartbeat.</summary>
    /// <param name="exception">The error.</param>
    /// <returns><see langword="true"/> when the lock is lost.</returns>
    private protected abstract bool IsFatal(Exception exception);

    private protected void StartHeartbeat() => _heartbeat = Task.Run(HeartbeatAsync);

    private async Task HeartbeatAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bool held;
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                held = await CheckAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PostgresLog.LeaseCheckFailed(_logger, ex, Name, ex.Message);
                held = !IsFatal(ex);
            }
            finally
            {
                _gate.Release();
            }

            if (!held)
            {
                PostgresLog.LeaseLost(_logger, Name);
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
