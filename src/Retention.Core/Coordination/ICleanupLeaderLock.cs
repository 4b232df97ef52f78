namespace Retention.Coordination;

/// <summary>
/// Elects one instance of a fleet to run a piece of work (the scheduled cleanup) at a time. Register one (for example the
/// PostgreSQL advisory lock) and the hosted schedule asks it before each run; instances that do not get it skip that
/// occurrence. Runs started on demand do not take it: they share the work through the store's claims instead.
/// </summary>
public interface ICleanupLeaderLock
{
    /// <summary>Tries to take the lock named <paramref name="name"/> without waiting.</summary>
    /// <param name="name">The lock's name; one name, one holder across the fleet.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The lease while it is held; <see langword="null"/> when another instance holds it.</returns>
    ValueTask<ICleanupLease?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);
}
