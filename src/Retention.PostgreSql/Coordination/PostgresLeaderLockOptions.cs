namespace Retention.PostgreSql.Coordination;

/// <summary>Settings of the PostgreSQL leader lock (configuration section <c>JobCleanup:PostgreSql:LeaderLock</c>).</summary>
public sealed class PostgresLeaderLockOptions
{
    /// <summary>How the lock is held. Default: <see cref="PostgresLeaderLockMode.AdvisoryLock"/>.</summary>
    public PostgresLeaderLockMode Mode { get; set; } = PostgresLeaderLockMode.AdvisoryLock;

    /// <summary>How often the holder checks (advisory lock) or renews (lease) that it still holds the lock. Default: 5 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without renewal (<see cref="PostgresLeaderLockMode.LeaseTable"/> only); at least three heartbeats. Default: 30 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Validates the settings; one message per problem.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            errors.Add($"JobCleanup:PostgreSql:LeaderLock:HeartbeatInterval: must be positive (was {HeartbeatInterval}).");
        }

        if (Mode == PostgresLeaderLockMode.LeaseTable && LeaseDuration < HeartbeatInterval * 3)
        {
            errors.Add($"JobCleanup:PostgreSql:LeaderLock:LeaseDuration: must be at least three heartbeats ({HeartbeatInterval * 3}), so one slow renewal does not lose the lease (was {LeaseDuration}).");
        }

        return errors;
    }
}
