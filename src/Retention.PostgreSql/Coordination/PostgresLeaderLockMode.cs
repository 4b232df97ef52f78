namespace Retention.PostgreSql.Coordination;

/// <summary>How the PostgreSQL leader lock is held.</summary>
public enum PostgresLeaderLockMode
{
    /// <summary>
    /// <c>pg_try_advisory_lock</c> on a dedicated connection held for the run. The server releases it the moment that
    /// session ends (a crashed or killed holder), so there is no expiry to tune. Needs session pooling: behind PgBouncer in
    /// transaction mode the lock would be taken on a server connection other clients then share.
    /// </summary>
    AdvisoryLock,

    /// <summary>
    /// A row in the leases table with an expiry the holder renews, and a fencing token that grows with each new holder;
    /// claims are refused to a run whose token is no longer current. Every statement stands alone, so it works behind
    /// PgBouncer in transaction mode. A crashed holder's lease lapses after <see cref="PostgresLeaderLockOptions.LeaseDuration"/>.
    /// </summary>
    LeaseTable,
}
