namespace Retention.PostgreSql;

/// <summary>
/// Keeps a live run's claims from lapsing: every third of the claim timeout it extends the claims the owner still holds,
/// until the run releases them. The claims of a process that dies stop being renewed with it, so they lapse within one
/// claim timeout and another replica takes those jobs.
/// </summary>
internal sealed class ClaimHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClaimHeartbeat(TimeSpan claimTimeout, Func<CancellationToken, Task> renew)
    {
        _loop = BeatAsync(claimTimeout / 3, renew, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        _stop.Dispose();
    }

    private static async Task BeatAsync(TimeSpan interval, Func<CancellationToken, Task> renew, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await renew(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A beat lost to a dropped session is made up by the next one: two more fit in before the claims lapse.
            }
        }
    }
}
