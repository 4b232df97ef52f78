using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Retention.Coordination;

namespace Retention.PostgreSql.Coordination;

/// <summary>
/// The leader lock as a row in the leases table: an expiry the holder renews and a fencing token that grows with each new
/// holder. Every statement stands alone, so it works through PgBouncer in transaction mode. A crashed holder's lease lapses
/// after <see cref="PostgresLeaderLockOptions.LeaseDuration"/>; a holder that was paused past it cannot claim more jobs,
/// because the store's claims check the token.
/// </summary>
public sealed class PostgresLeaseTableLeaderLock : ICleanupLeaderLock
{
    private readonly PostgresJobStore _store;
    private readonly PostgresLeaderLockOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Creates the lock over the store's database.</summary>
    /// <param name="store">The store whose leases table the lock uses.</param>
    /// <param name="options">The lease and heartbeat settings.</param>
    /// <param name="timeProvider">The clock the heartbeat runs on.</param>
    /// <param name="logger">Receives lock events.</param>
    public PostgresLeaseTableLeaderLock(PostgresJobStore store, PostgresLeaderLockOptions? options = null, TimeProvider? timeProvider = null, ILogger<PostgresLeaseTableLeaderLock>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new PostgresLeaderLockOptions { Mode = PostgresLeaderLockMode.LeaseTable };
        if (_options.Validate() is { Count: > 0 } errors)
        {
            throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public async ValueTask<ICleanupLease?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var token = await PostgresErrors.GuardAsync(async () =>
        {
            await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Taken when there is no row or its lease has lapsed; the token grows with every new holder.
            await using var command = new NpgsqlCommand($"""
                INSERT INTO {_store.LeasesTable} AS l (name, holder, token, expires_at) VALUES (@name, @holder, 1, now() + @ttl)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = l.token + 1, expires_at = excluded.expires_at
                WHERE l.expires_at <= now()
                RETURNING token
                """, connection);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("holder", _holder);
            command.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = _options.LeaseDuration });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        }).ConfigureAwait(false);
        if (token is null)
        {
            return null;
        }

        PostgresLog.LeaseAcquired(_logger, name, token.Value);
        return new PostgresTableLease(_store, name, _holder, token.Value, _options, _time, _logger);
    }
}
