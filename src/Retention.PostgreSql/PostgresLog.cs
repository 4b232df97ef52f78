using Microsoft.Extensions.Logging;

namespace Retention.PostgreSql;

/// <summary>The PostgreSQL package's log messages (event ids 300-309).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(300, LogLevel.Information, "Took the leader lock '{Lock}' ({Holder})", EventName = "LeaseAcquired")]
    public static partial void LeaseAcquired(ILogger logger, string @lock, long holder);

    [LoggerMessage(301, LogLevel.Warning, "Lost the leader lock '{Lock}'; the run holding it stops before its next job", EventName = "LeaseLost")]
    public static partial void LeaseLost(ILogger logger, string @lock);

    [LoggerMessage(302, LogLevel.Warning, "Checking the leader lock '{Lock}' failed: {Error}", EventName = "LeaseCheckFailed")]
    public static partial void LeaseCheckFailed(ILogger logger, Exception exception, string @lock, string error);

    [LoggerMessage(303, LogLevel.Warning, "Releasing the leader lock '{Lock}' failed: {Error}; the server releases it when the session ends or the lease lapses", EventName = "LeaseReleaseFailed")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception, string @lock, string error);
}
