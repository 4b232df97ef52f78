namespace Retention.Stores;

/// <summary>The leader lease a run holds, passed to the store so claims are refused once a newer holder has taken over.</summary>
/// <param name="LockName">The lock's name.</param>
/// <param name="Token">The fencing token the run's lease was granted.</param>
public sealed record LeaseFence(string LockName, long Token);
