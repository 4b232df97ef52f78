using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Retention.PostgreSql.Coordination;

/// <summary>A held lease-table lock: renewed by the heartbeat while it has not lapsed, lost when a renewal finds it gone.</summary>
internal sealed class PostgresTableLease : PostgresLease
{
    private readonly PostgresJobStore _store;
    private readonly string _holder;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private long _renewedAt;

    public PostgresTableLease(PostgresJobStore store, string name, string holder, long token, PostgresLeaderLockOptions options, TimeProvider time, ILogger logger)
        : base(name, token, options.HeartbeatInterval, time, logger)
    {
        _store = store;
        _holder = holder;
        _duration = options.LeaseDuration;
        _time = time;
        _renewedAt = time.GetTimestamp();
        StartHeartbeat();
    }

    private protected override async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            UPDATE {_store.LeasesTable} SET expires_at = now() + @ttl
            WHERE name = @name AND holder = @holder AND token = @token AND expires_at > now()
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = _duration });
        command.Parameters.AddWithValue("name", Name);
        command.Parameters.AddWithValue("holder", _holder);
        command.Parameters.AddWithValue("token", FencingToken!.Value);
        var renewed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (renewed)
        {
            Interlocked.Exchange(ref _renewedAt, _time.GetTimestamp());
        }

        return renewed;
    }

    // A failed renewal is retried at the next heartbeat until the lease would have lapsed since the last good one.
    private protected override bool IsFatal(Exception exception) => _time.GetElapsedTime(Interlocked.Read(ref _renewedAt)) >= _duration;

    private protected override async Task ReleaseAsync()
    {
        // The row stays, so the next holder's token is higher than every earlier one.
        await using var connection = await _store.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"UPDATE {_store.LeasesTable} SET expires_at = now() WHERE name = @name AND token = @token", connection);
        command.Parameters.AddWithValue("name", Name);
        command.Parameters.AddWithValue("token", FencingToken!.Value);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
