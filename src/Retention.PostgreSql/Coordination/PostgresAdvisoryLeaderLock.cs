using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Retention.Coordination;

namespace Retention.PostgreSql.Coordination;

/// <summary>
/// The leader lock as a PostgreSQL session advisory lock (<c>pg_try_advisory_lock</c>) on a dedicated, unpooled connection
/// held for the run. A holder that crashes or whose connection is killed loses it at once: the server ends the session and
/// releases the lock, and the next replica to try takes over. Needs session pooling (see <see cref="PostgresLeaderLockMode.AdvisoryLock"/>).
/// </summary>
public sealed class PostgresAdvisoryLeaderLock : ICleanupLeaderLock
{
    private readonly PostgresJobStore _store;
    private readonly PostgresLeaderLockOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the lock over the store's database.</summary>
    /// <param name="store">The store whose connection settings the lock uses.</param>
    /// <param name="options">The heartbeat settings.</param>
    /// <param name="timeProvider">The clock the heartbeat runs on.</param>
    /// <param name="logger">Receives lock events.</param>
    public PostgresAdvisoryLeaderLock(PostgresJobStore store, PostgresLeaderLockOptions? options = null, TimeProvider? timeProvider = null, ILogger<PostgresAdvisoryLeaderLock>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new PostgresLeaderLockOptions();
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

        // Unpooled: closing the connection must end the session, or a pooled session would keep the lock after release.
        var settings = _store.ConnectionSettings;
        settings.Pooling = false;
        settings.ApplicationName = "retention-leader:" + name;
        var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            await PostgresErrors.GuardAsync(() => connection.OpenAsync(cancellationToken)).ConfigureAwait(false);
            // The key is scoped by the store's schema, so two deployments sharing a database do not share the lock.
            var key = _store.SchemaName + ":" + name;
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
            command.Parameters.AddWithValue("key", key);
            if (await PostgresErrors.GuardAsync(() => command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false) is true)
            {
                PostgresLog.LeaseAcquired(_logger, name, connection.ProcessID);
                return new PostgresAdvisoryLease(name, key, connection, _options.HeartbeatInterval, _time, _logger);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
