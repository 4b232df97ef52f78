using Retention.Deletion;

namespace Retention.WebHost.Tests.Support;

/// <summary>
/// The real deleter, except that every deletion waits until the test opens the gate: a run is then in progress for as long
/// as the test needs (to watch its progress and cancel it), whatever the machine's speed.
/// </summary>
internal sealed class GatedDeleter(ISafeDeleter inner, Task gate) : ISafeDeleter
{
    public IReadOnlyList<string> Roots => inner.Roots;

    public async ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        await gate;
        return await inner.DeleteAsync(path, cancellationToken);
    }

    public async ValueTask<DeletionResult> DeleteArtifactAsync(string jobId, string path, CancellationToken cancellationToken = default)
    {
        await gate;
        return await inner.DeleteArtifactAsync(jobId, path, cancellationToken);
    }

    public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) => inner.MeasureAsync(path, cancellationToken);
}
