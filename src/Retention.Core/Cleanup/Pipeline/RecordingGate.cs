namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Holds back the next batch's deletions while the recorder cannot record the last ones (a locked database): a run never
/// deletes much more than it can record.
/// </summary>
internal sealed class RecordingGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _stalled;
    private bool _closed;

    /// <summary>Recording is failing: batches wait.</summary>
    public void Stall()
    {
        lock (_lock)
        {
            _stalled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Recording works again: batches go on.</summary>
    public void Resume() => Release(close: false);

    /// <summary>Recording has given up (the run stops on the recorder's error): no batch starts any more.</summary>
    public void Close() => Release(close: true);

    /// <summary>
    /// Whether the next batch may delete: at once unless recording is stalled, then when it resumes (or
    /// <paramref name="cancellationToken"/> fires); <see langword="false"/> once recording has given up.
    /// </summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        Task stalled;
        lock (_lock)
        {
            stalled = _stalled?.Task ?? Task.CompletedTask;
        }

        await stalled.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return !_closed;
        }
    }

    private void Release(bool close)
    {
        TaskCompletionSource? stalled;
        lock (_lock)
        {
            _closed |= close;
            stalled = _stalled;
            _stalled = null;
        }

        stalled?.TrySetResult();
    }
}
