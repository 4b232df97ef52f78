namespace Retention.Tests.Support;

/// <summary>
/// A clock the test sets by hand, with timers that fire when the test advances it (Microsoft.Extensions.TimeProvider.Testing
/// is not available here). <c>Task.Delay(delay, time, token)</c> on it completes only when the test moves time past the delay.
/// </summary>
internal sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = now;
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

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

    /// <summary>When the earliest pending timer fires.</summary>
    public DateTimeOffset? NextTimerAt
    {
        get
        {
            lock (_gate)
            {
                return _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt).Min();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (true)
        {
            FakeTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    return;
                }

                _now = due.DueAt!.Value;
                due.DueAt = due.Period is { } p && p > TimeSpan.Zero ? _now + p : null;
            }

            due.Fire();
        }
    }

    /// <summary>
    /// The machine sleeps for <paramref name="by"/>: the wall clock moves on, but timers (which run on a monotonic clock that
    /// stops during suspension) fire that much later. Loops see the new time only when a timer next wakes them.
    /// </summary>
    public void Jump(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
            foreach (var timer in _timers)
            {
                timer.DueAt += by;
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="at"/>.</summary>
    public void AdvanceTo(DateTimeOffset at) => Advance(at - GetUtcNow());

    /// <summary>Completes when at least <paramref name="count"/> timers are pending: the loops under test are waiting. Fails after 10 s of real time.</summary>
    public Task WaitForTimersAsync(int count = 1) => WaitUntilAsync(() => _timers.Count(t => t.DueAt is not null) >= count);

    /// <summary>Completes when a timer is pending that fires at <paramref name="dueAt"/>: a loop is waiting for that instant. Fails after 10 s of real time.</summary>
    public Task WaitForTimerAtAsync(DateTimeOffset dueAt) => WaitUntilAsync(() => _timers.Any(t => t.DueAt == dueAt));

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Task created;
            lock (_gate)
            {
                if (condition())
                {
                    return;
                }

                created = _timerCreated.Task;
            }

            await created.WaitAsync(timeout.Token);
        }
    }

    private void Schedule(FakeTimer timer, DateTimeOffset? dueAt, TimeSpan? period)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            timer.DueAt = dueAt;
            timer.Period = period;
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            signal = _timerCreated;
            _timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var dueAt = dueTime == Timeout.InfiniteTimeSpan ? (DateTimeOffset?)null : owner.GetUtcNow() + dueTime;
            owner.Schedule(this, dueAt, period == Timeout.InfiniteTimeSpan ? null : period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
