using Microsoft.Extensions.Logging;
using Npgsql;

namespace Retention.PostgreSql.Coordination;

/// <summary>A held advisory lock: the session that holds it, checked by a heartbeat.</summary>
public sealed class PostgresAdvisoryLease : PostgresLease
{
    private readonly NpgsqlConnection _connection;
    private readonly string _key;

    internal PostgresAdvisoryLease(string name, string key, NpgsqlConnection connection, TimeSpan interval, TimeProvider time, ILogger logger)
        : base(name, fencingToken: null, interval, time, logger)
    {
        _connection = connection;
        _key = key;
        BackendProcessId = connection.ProcessID;
        StartHeartbeat();
    }

    /// <summary>The server process of the session that holds the lock (<c>pg_stat_activity.pid</c>), for operators.</summary>
    public int BackendProcessId { get; }

    private protected override async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        // Asked of the session itself: it answers (it is alive) and still holds the lock (nobody unlocked it on it).
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                           AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(@key, 0))
            """, _connection);
        command.Parameters.AddWithValue("key", _key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    // Any error on the holding session means the session, and with it the lock, may be gone: the run must stop.
    private protected override bool IsFatal(Exception exception) => true;

    private protected override async Task ReleaseAsync()
    {
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", _connection);
                command.Parameters.AddWithValue("key", _key);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
