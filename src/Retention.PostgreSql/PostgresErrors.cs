using Npgsql;

namespace Retention.PostgreSql;

/// <summary>Which PostgreSQL errors are worth retrying, and their translation into the engine's transient error.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// Npgsql's own judgement (a broken connection, a server shutting down, too many connections), plus serialization
    /// failures, deadlocks, lock timeouts and a session an administrator ended, which a retry on a new connection resolves.
    /// </summary>
    public static bool IsTransient(NpgsqlException exception) =>
        exception.IsTransient || exception is PostgresException
        {
            SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.AdminShutdown,
        };

    public static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (IsTransient(ex))
        {
            throw new TransientRetentionException($"PostgreSQL: {ex.Message}", ex);
        }
    }

    public static async Task GuardAsync(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (IsTransient(ex))
        {
            throw new TransientRetentionException($"PostgreSQL: {ex.Message}", ex);
        }
    }
}
