namespace Retention.Stores.Sql;

/// <summary>
/// Runs a store's start-up work (connect, create or migrate the schema) once, the first time any call needs it; callers
/// that arrive meanwhile wait for it, and a start-up that fails is tried again by the next call.
/// </summary>
internal sealed class InitializeOnce : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task RunAsync(Func<CancellationToken, Task> initialize, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await initialize(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
