using Microsoft.Extensions.Logging;

namespace Retention.Hosting.Diagnostics;

/// <summary>The hosted services' log events, with stable ids (100 and up; the engine's are below 100).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Information, "Scheduled cleanup enabled: {Schedule}; next run at {NextRun:u} (schedule from {ScheduleSource}, enabled by {EnabledSource})", EventName = "ScheduleStarted")]
    public static partial void ScheduleStarted(ILogger logger, string schedule, DateTimeOffset nextRun, string scheduleSource, string enabledSource);

    [LoggerMessage(101, LogLevel.Information, "Missed scheduled cleanup (last scheduled run {LastRun:u}, due again at {Due:u}); running it at {RunAt:u}", EventName = "CatchingUpMissedRun")]
    public static partial void CatchingUpMissedRun(ILogger logger, DateTimeOffset lastRun, DateTimeOffset due, DateTimeOffset runAt);

    [LoggerMessage(102, LogLevel.Information, "Cleanup on start at {RunAt:u}", EventName = "RunningOnStart")]
    public static partial void RunningOnStart(ILogger logger, DateTimeOffset runAt);

    [LoggerMessage(103, LogLevel.Information, "Background cleanup is off in the {Environment} environment (set JobCleanup:Background:RunInTesting to run it)", EventName = "SuppressedInEnvironment")]
    public static partial void SuppressedInEnvironment(ILogger logger, string environment);

    [LoggerMessage(104, LogLevel.Error, "{Work} failed: {Error}; it runs again at its next time", EventName = "BackgroundWorkFailed")]
    public static partial void BackgroundWorkFailed(ILogger logger, Exception exception, string work, string error);

    [LoggerMessage(105, LogLevel.Information, "Stale-job reaper started: checking every {Interval}", EventName = "ReaperStarted")]
    public static partial void ReaperStarted(ILogger logger, string interval);

    [LoggerMessage(106, LogLevel.Information, "The store ({Store}) does not implement {Capability}; {Work} is off", EventName = "CapabilityMissing")]
    public static partial void CapabilityMissing(ILogger logger, string store, string capability, string work);

    [LoggerMessage(107, LogLevel.Information, "{Banner}", EventName = "StartupBanner")]
    public static partial void StartupBanner(ILogger logger, string banner);

    [LoggerMessage(108, LogLevel.Information, "STARTUP: Cleaning up stale jobs from previous session...", EventName = "StartupResetStarting")]
    public static partial void StartupResetStarting(ILogger logger);

    [LoggerMessage(109, LogLevel.Information, "STARTUP: Job cleanup completed: {Count} job(s) reset to failed", EventName = "StartupResetCompleted")]
    public static partial void StartupResetCompleted(ILogger logger, int count);

    [LoggerMessage(110, LogLevel.Information, "Orphan sweep {Mode}: {Count} orphaned path(s), {Size}; {TooYoung} too young to touch", EventName = "OrphanSweepFinished")]
    public static partial void OrphanSweepFinished(ILogger logger, string mode, int count, string size, int tooYoung);

    [LoggerMessage(111, LogLevel.Information, "Orphan: {Path} ({Size}, last written {LastWrite:u}): {Outcome}", EventName = "OrphanFound")]
    public static partial void OrphanFound(ILogger logger, string path, string size, DateTimeOffset lastWrite, string outcome);

    [LoggerMessage(112, LogLevel.Warning, "Cleanup notifier {Notifier} failed: {Error}; the run is not affected", EventName = "NotifierFailed")]
    public static partial void NotifierFailed(ILogger logger, Exception exception, string notifier, string error);

    [LoggerMessage(113, LogLevel.Information, "Posted {Message} to the webhook ({StatusCode})", EventName = "WebhookPosted")]
    public static partial void WebhookPosted(ILogger logger, string message, int statusCode);

    [LoggerMessage(114, LogLevel.Warning, "The webhook answered {StatusCode} to {Message}; nothing else is affected", EventName = "WebhookRejected")]
    public static partial void WebhookRejected(ILogger logger, string message, int statusCode);

    [LoggerMessage(115, LogLevel.Information, "Scheduled cleanup stopped", EventName = "ScheduleStopped")]
    public static partial void ScheduleStopped(ILogger logger);

    [LoggerMessage(116, LogLevel.Information, "Next scheduled cleanup at {NextRun:u}", EventName = "NextRun")]
    public static partial void NextRun(ILogger logger, DateTimeOffset nextRun);

    [LoggerMessage(117, LogLevel.Warning, "Could not read the store's storage usage: {Error}", EventName = "UsageRefreshFailed")]
    public static partial void UsageRefreshFailed(ILogger logger, Exception exception, string error);

    [LoggerMessage(118, LogLevel.Critical, "{Work} stopped after an unexpected error: {Error}; it resumes when the service is started again", EventName = "BackgroundLoopEnded")]
    public static partial void BackgroundLoopEnded(ILogger logger, Exception exception, string work, string error);

    [LoggerMessage(119, LogLevel.Warning, "Could not read the run history to look for a missed run: {Error}; no catch-up run", EventName = "CatchUpCheckFailed")]
    public static partial void CatchUpCheckFailed(ILogger logger, Exception exception, string error);

    [LoggerMessage(120, LogLevel.Information, "Another instance holds the leader lock '{Lock}'; it runs the cleanup due at {Due:u} ({Trigger}), this one skips it", EventName = "NotLeader")]
    public static partial void NotLeader(ILogger logger, string @lock, string trigger, DateTimeOffset due);

    [LoggerMessage(122, LogLevel.Warning, "Scheduled cleanup is off ({OffBecause}): nothing deletes due data unless something calls IJobCleaner or ICleanupTrigger", EventName = "ScheduleOff")]
    public static partial void ScheduleOff(ILogger logger, string offBecause);

    [LoggerMessage(121, LogLevel.Information, "The scheduled cleanup due at {Due:u} already ran on another instance (started {Started:u}); this one skips it", EventName = "OccurrenceRanElsewhere")]
    public static partial void OccurrenceRanElsewhere(ILogger logger, DateTimeOffset due, DateTimeOffset started);

    [LoggerMessage(123, LogLevel.Warning, "Schedule alias ignored: {Detail}", EventName = "ScheduleAliasShadowed")]
    public static partial void ScheduleAliasShadowed(ILogger logger, string detail);

    [LoggerMessage(124, LogLevel.Warning, "Could not check the store's status words at start-up ({Message}); the first cleanup run checks them again", EventName = "StatusWordCheckFailed")]
    public static partial void StatusWordCheckFailed(ILogger logger, Exception exception, string message);

    [LoggerMessage(125, LogLevel.Warning, "Data past due is still on disk: {Jobs} job(s), {Size}, the oldest due since {Since:u}, longer than the outlook allows; {StaysBecause}", EventName = "DataOverdue")]
    public static partial void DataOverdue(ILogger logger, long jobs, string size, DateTimeOffset since, string staysBecause);

    [LoggerMessage(127, LogLevel.Debug, "Outlook read: {Jobs} job(s) past due, {Size}; {Upcoming} job(s) become due within {Window}", EventName = "OutlookRead")]
    public static partial void OutlookRead(ILogger logger, long jobs, string size, long upcoming, TimeSpan window);

    [LoggerMessage(126, LogLevel.Information, "Notice sent: {Jobs} job(s), {Size}, become due within {Window}; told {Notifiers} notifier(s)", EventName = "DeletionNoticeSent")]
    public static partial void NoticeSent(ILogger logger, long jobs, string size, TimeSpan window, int notifiers);
}
