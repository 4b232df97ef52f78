namespace Retention.TestSupport;

/// <summary>
/// Moves a <see cref="TestClock"/> on whenever code under test waits on it (a retry's pause), so a test of many retries
/// runs in milliseconds and the code's own deadlines, read from the same clock, pass as they would.
/// </summary>
public sealed class ClockPump : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumping;

    public ClockPump(TestClock clock, TimeSpan step)
    {
        _pumping = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await clock.WaitForTimersAsync().WaitAsync(_stop.Token);
                    clock.Advance(step);
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
