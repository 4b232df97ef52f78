using Microsoft.Extensions.Logging;

namespace Retention.AspNetCore.Endpoints;

/// <summary>The audit trail of the endpoints (category <c>Retention.AspNetCore.Audit</c>): who asked for what, from where.</summary>
internal static partial class AuditLog
{
    public const string Category = "Retention.AspNetCore.Audit";

    [LoggerMessage(200, LogLevel.Information, "Cleanup {Kind} requested by {User} from {RemoteIp}: run {RunId}", EventName = "CleanupRequested")]
    public static partial void CleanupRequested(ILogger logger, string kind, string user, string remoteIp, string runId);

    [LoggerMessage(201, LogLevel.Information, "Stale-job {Mode} requested by {User} from {RemoteIp}: {Count} job(s) failed", EventName = "StaleResetRequested")]
    public static partial void StaleResetRequested(ILogger logger, string mode, string user, string remoteIp, int count);

    [LoggerMessage(202, LogLevel.Information, "Cleanup requested by {User} from {RemoteIp} refused: run {RunId} is in progress", EventName = "CleanupRefused")]
    public static partial void CleanupRefused(ILogger logger, string user, string remoteIp, string runId);

    [LoggerMessage(203, LogLevel.Information, "Cancel of run {RunId} requested by {User} from {RemoteIp}: {Cancelled}", EventName = "CancelRequested")]
    public static partial void CancelRequested(ILogger logger, string runId, string user, string remoteIp, bool cancelled);

    [LoggerMessage(204, LogLevel.Information, "Hold {HoldId} on job {JobId} placed by {User} from {RemoteIp}: {Reason}", EventName = "HoldAdded")]
    public static partial void HoldAdded(ILogger logger, string holdId, string jobId, string user, string remoteIp, string reason);

    [LoggerMessage(205, LogLevel.Information, "Hold {HoldId} on job {JobId} released by {User} from {RemoteIp}", EventName = "HoldReleased")]
    public static partial void HoldReleased(ILogger logger, string holdId, string jobId, string user, string remoteIp);
}
