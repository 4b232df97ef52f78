using NpgsqlTypes;

namespace Retention.PostgreSql;

/// <summary>Claims as leases: renewed while the run that holds them lives, lapsing within a claim timeout once it dies.</summary>
public sealed partial class PostgresJobStore
{
    // Five attempts with pauses of 0.5, 1, 2 and 4 s: a restarting server or a failover is over by then, a dead one is not.
    private const int StreamAttempts = 5;

    private static readonly TimeSpan StreamRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, ClaimHeartbeat> _heartbeats = new(StringComparer.Ordinal);

    /// <summary>The owners whose claims are being renewed (tests).</summary>
    internal IReadOnlyCollection<string> RenewedOwners
    {
        get
        {
            lock (_heartbeats)
            {
                return [.. _heartbeats.Keys];
            }
        }
    }

    /// <summary>Extends the live claims <paramref name="owner"/> holds by one claim timeout; a lapsed claim is not revived.</summary>
    /// <returns>How many claims were renewed.</returns>
    internal Task<int> RenewClaimsAsync(string owner, CancellationToken cancellationToken) =>
        WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"UPDATE {_schema.Claims} SET claimed_until = now() + @timeout WHERE owner = @owner AND claimed_until > now()");
                command.Parameters.Add(new Npgsql.NpgsqlParameter("timeout", NpgsqlDbType.Interval) { Value = _options.ClaimTimeout });
                command.Parameters.Add(Text("owner", owner));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask ReleaseJobClaimsAsync(string owner, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0)
        {
            return;
        }

        EnsureWritable();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await WithConnectionAsync(
            async connection =>
            {
                await using var command = Command(connection, null, $"DELETE FROM {_schema.Claims} WHERE owner = @owner AND job_id = ANY(@ids)");
                command.Parameters.Add(Text("owner", owner));
                command.Parameters.Add(Array("ids", jobIds));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    // From the run's first claim until it releases them (or the store is disposed).
    private void StartHeartbeat(string owner)
    {
        lock (_heartbeats)
        {
            if (!_heartbeats.ContainsKey(owner))
            {
                _heartbeats[owner] = new ClaimHeartbeat(_options.ClaimTimeout, ct => RenewClaimsAsync(owner, ct));
            }
        }
    }

    private async Task StopHeartbeatAsync(string owner)
    {
        ClaimHeartbeat? heartbeat;
        lock (_heartbeats)
        {
            _heartbeats.Remove(owner, out heartbeat);
        }

        if (heartbeat is not null)
        {
            await heartbeat.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StopHeartbeatsAsync()
    {
        ClaimHeartbeat[] all;
        lock (_heartbeats)
        {
            all = [.. _heartbeats.Values];
            _heartbeats.Clear();
        }

        foreach (var heartbeat in all)
        {
            await heartbeat.DisposeAsync().ConfigureAwait(false);
        }
    }
}
