using Microsoft.Extensions.Logging;
using Npgsql;

namespace Retention.PostgreSql;

/// <summary>A held advisory lock: the session that holds it, checked by a heartbeat.</summary>
public sealed class PostgresAdvisoryLease : PostgresLease
{
    private readonly NpgsqlConnection _connection;

    internal PostgresAdvisoryLease(string name, NpgsqlConnection connection, TimeSpan interval, TimeProvider time, ILogger logger)
        : base(name, fencingToken: null, interval, time, logger)
    {
        _connection = connection;
        BackendProcessId = connection.ProcessID;
        StartHeartbeat();
    }

    /// <summary>The server process of the session that holds the lock (<c>pg_stat_activity.pid</c>), for operators.</summary>
    public int BackendProcessId { get; }

    private protected override async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        // The lock lives as long as the session; a session that answers still holds it.
        await using var command = new NpgsqlCommand("SELECT 1", _connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Any error on the holding session means the session, and with it the lock, may be gone: the run must stop.
    private protected override bool IsFatal(Exception exception) => true;

    private protected override async Task ReleaseAsync()
    {
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@name, 0))", _connection);
                command.Parameters.AddWithValue("name", Name);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
