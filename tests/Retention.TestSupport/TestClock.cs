using Microsoft.Extensions.Time.Testing;

namespace Retention.TestSupport;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/>, which also tells a test when the code under test is waiting: a hosted loop
/// sleeps on <c>Task.Delay(delay, time, token)</c>, and the test moves the clock only once that timer exists, so the two
/// never race. The clock itself (advancing, firing timers in order, <see cref="FakeTimeProvider.AdjustTime"/>) is Microsoft's.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly List<WatchedTimer> _timers = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Timers waiting to fire (a loop waiting on <c>Task.Delay</c> holds one).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new WatchedTimer(this, callback, state);
        watched.Inner = base.CreateTimer(static s => ((WatchedTimer)s!).Fire(), watched, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        watched.Change(dueTime, period);
        return watched;
    }

    /// <summary>When the next pending timer fires; <see langword="null"/> when none is pending.</summary>
    public DateTimeOffset? NextTimerDueAt
    {
        get
        {
            lock (_gate)
            {
                return _timers.Where(t => t.DueAt is not null).Min(t => t.DueAt);
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="at"/>, firing every timer that falls due on the way.</summary>
    public void AdvanceTo(DateTimeOffset at) => SetUtcNow(at);

    /// <summary>
    /// The machine sleeps for <paramref name="by"/>: the wall clock moves on, but timers (which run on a monotonic clock
    /// that stops during suspension) fire that much later. Loops see the new time only when a timer next wakes them.
    /// </summary>
    public void Jump(TimeSpan by)
    {
        lock (_gate)
        {
            // AdjustTime moves every outstanding timer by the same amount; the watch list follows it.
            AdjustTime(GetUtcNow() + by);
            foreach (var timer in _timers)
            {
                timer.DueAt += by;
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> timers are pending: the loops under test are waiting. Fails after 10 s of real time.</summary>
    public Task WaitForTimersAsync(int count = 1) => WaitUntilAsync(() => _timers.Count(t => t.DueAt is not null) >= count);

    /// <summary>Completes when a timer is pending that fires at <paramref name="dueAt"/>: a loop is waiting for that instant. Fails after 10 s of real time.</summary>
    public Task WaitForTimerAtAsync(DateTimeOffset dueAt) => WaitUntilAsync(() => _timers.Any(t => t.DueAt == dueAt));

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    // Arms Microsoft's timer, then records when it fires. The time is read after arming, so the recorded time is never
    // earlier than the timer's own even when another thread moves the clock meanwhile: a pump that moves the clock to the
    // recorded time always fires it (read before, it could lag the real one, and the pump would wait for a timer that is
    // not due). A timer that fired while being armed keeps what Fired recorded.
    private bool Arm(WatchedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        int firesBefore;
        lock (_gate)
        {
            firesBefore = timer.Fires;
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        }

        var changed = timer.Inner!.Change(dueTime, period);
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (timer.Fires == firesBefore)
            {
                timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : GetUtcNow() + dueTime;
            }

            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        return changed;
    }

    private void Fired(WatchedTimer timer)
    {
        lock (_gate)
        {
            timer.Fires++;
            timer.DueAt = timer.Period is { } period ? GetUtcNow() + period : null;
        }
    }

    private void Remove(WatchedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>Microsoft's timer, with its next due time kept where the test can see it.</summary>
    private sealed class WatchedTimer(TestClock owner, TimerCallback callback, object? state) : ITimer
    {
        public ITimer? Inner { get; set; }

        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public int Fires { get; set; }

        public void Fire()
        {
            owner.Fired(this);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Arm(this, dueTime, period);

        public void Dispose()
        {
            owner.Remove(this);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
