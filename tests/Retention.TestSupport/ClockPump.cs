namespace Retention.TestSupport;

/// <summary>
/// Moves a <see cref="TestClock"/> on to the next pending timer whenever code under test waits on it (a retry's pause),
/// never past it, so a test of many retries runs in milliseconds and the code's own deadlines, read from the same clock,
/// pass as they would.
/// </summary>
public sealed class ClockPump : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumping;

    public ClockPump(TestClock clock)
    {
        _pumping = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await clock.WaitForTimersAsync().WaitAsync(_stop.Token);
                    if (clock.NextTimerDueAt is { } due && due > clock.GetUtcNow())
                    {
                        clock.AdvanceTo(due);
                    }
                    else
                    {
                        await Task.Yield(); // due now: its callback is on its way
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped, or nothing waited for 10 s (then keep watching).
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pumping;
        _stop.Dispose();
    }
}
