namespace Retention.Coordination;

/// <summary>A held <see cref="ICleanupLeaderLock"/>. Disposing it releases the lock.</summary>
public interface ICleanupLease : IAsyncDisposable
{
    /// <summary>The lock's name.</summary>
    string Name { get; }

    /// <summary>
    /// A number that grows each time the lock changes hands, for locks that can expire (a lease table); stores check it so a
    /// holder whose lease lapsed cannot claim more work. <see langword="null"/> for locks the server ties to a live session.
    /// </summary>
    long? FencingToken { get; }

    /// <summary>Cancelled as soon as the holder learns it no longer holds the lock (its session died, its lease lapsed).</summary>
    CancellationToken Lost { get; }
}
