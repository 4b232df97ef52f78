using Microsoft.Extensions.Logging;

namespace Retention.Diagnostics;

/// <summary>Every log event of the library, with stable ids. Messages read as plain sentences.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Starting job cleanup process (run {RunId}, trigger {Trigger})", EventName = "CleanupStarting")]
    public static partial void CleanupStarting(ILogger logger, string runId, string trigger);

    [LoggerMessage(2, LogLevel.Information, "[DRY RUN] Starting job cleanup preview (run {RunId}, trigger {Trigger})", EventName = "DryRunStarting")]
    public static partial void DryRunStarting(ILogger logger, string runId, string trigger);

    [LoggerMessage(3, LogLevel.Information, "Cleaning job {JobId} ({Status}, {Age} old): {Reason}", EventName = "CleaningJob")]
    public static partial void CleaningJob(ILogger logger, string jobId, string status, string age, string reason);

    [LoggerMessage(4, LogLevel.Information, "[DRY RUN] Would clean job {JobId} (status: {Status}, age: {Age}): {Reason}", EventName = "WouldCleanJob")]
    public static partial void WouldCleanJob(ILogger logger, string jobId, string status, string age, string reason);

    [LoggerMessage(5, LogLevel.Information, "Deleted {Path} ({Size})", EventName = "ArtifactDeleted")]
    public static partial void ArtifactDeleted(ILogger logger, string path, string size);

    [LoggerMessage(6, LogLevel.Information, "[DRY RUN] Would delete: {Path} ({Size})", EventName = "ArtifactWouldBeDeleted")]
    public static partial void ArtifactWouldBeDeleted(ILogger logger, string path, string size);

    [LoggerMessage(7, LogLevel.Debug, "Already gone: {Path}", EventName = "ArtifactMissing")]
    public static partial void ArtifactMissing(ILogger logger, string path);

    [LoggerMessage(8, LogLevel.Warning, "Refused to delete {Path} of job {JobId}: {Reason}; the job stays uncleaned", EventName = "ArtifactRefused")]
    public static partial void ArtifactRefused(ILogger logger, string path, string jobId, string? reason);

    [LoggerMessage(9, LogLevel.Warning, "Failed to delete {Path} of job {JobId}: {Reason}; the job stays uncleaned for the next run", EventName = "ArtifactFailed")]
    public static partial void ArtifactFailed(ILogger logger, string path, string jobId, string? reason);

    [LoggerMessage(10, LogLevel.Warning, "The store returned job {JobId}, which is {Status}; active jobs are never touched (check the store's candidate query)", EventName = "ActiveJobSkipped")]
    public static partial void ActiveJobSkipped(ILogger logger, string jobId, string status);

    [LoggerMessage(20, LogLevel.Information, "Keeping job {JobId}: {Reason}", EventName = "PinnedJobKept")]
    public static partial void PinnedJobKept(ILogger logger, string jobId, string reason);

    [LoggerMessage(11, LogLevel.Information, "Updated store: marked {Count} job(s) as cleaned", EventName = "JobsMarked")]
    public static partial void JobsMarked(ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Information, "Updated store: purged {Count} job record(s)", EventName = "JobsPurged")]
    public static partial void JobsPurged(ILogger logger, int count);

    [LoggerMessage(13, LogLevel.Information, "Cleaned {Count} {Status} job(s) (freed {Size})", EventName = "CleanedByStatus")]
    public static partial void CleanedByStatus(ILogger logger, long count, string status, string size);

    [LoggerMessage(14, LogLevel.Information, "Cleanup completed: {Jobs} job(s) cleaned, {Size} freed, {Failed} failed, in {Seconds:0.00} s", EventName = "CleanupCompleted")]
    public static partial void CleanupCompleted(ILogger logger, long jobs, string size, long failed, double seconds);

    [LoggerMessage(15, LogLevel.Information, "[DRY RUN] Summary: Would clean {Jobs} job(s), freeing ~{Size}", EventName = "DryRunSummary")]
    public static partial void DryRunSummary(ILogger logger, long jobs, string size);

    [LoggerMessage(16, LogLevel.Warning, "Cleanup cancelled after {Jobs} job(s) ({Size} freed); every finished job is recorded", EventName = "CleanupCancelled")]
    public static partial void CleanupCancelled(ILogger logger, long jobs, string size);

    [LoggerMessage(17, LogLevel.Error, "Cleanup failed after {Jobs} job(s): {Error}", EventName = "CleanupFailed")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, long jobs, string error);

    [LoggerMessage(18, LogLevel.Information, "A cleanup run is already in progress; not starting another (trigger {Trigger})", EventName = "CleanupAlreadyRunning")]
    public static partial void CleanupAlreadyRunning(ILogger logger, string trigger);

    [LoggerMessage(19, LogLevel.Warning, "Retrying {Operation} after a transient error (attempt {Attempt}): {Error}", EventName = "Retrying")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string? error);

    [LoggerMessage(21, LogLevel.Warning, "Could not record run {RunId} in the run history", EventName = "RunHistoryFailed")]
    public static partial void RunHistoryFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(22, LogLevel.Error, "Job {JobId} could not be cleaned: {Error}; it stays uncleaned and the run goes on", EventName = "JobFailed")]
    public static partial void JobFailed(ILogger logger, Exception exception, string jobId, string error);

    [LoggerMessage(30, LogLevel.Information, "Found {Count} stuck job(s)", EventName = "StuckJobsFound")]
    public static partial void StuckJobsFound(ILogger logger, int count);

    [LoggerMessage(31, LogLevel.Warning, "Marking job {JobId} as failed (runtime: {Runtime})", EventName = "MarkingStuckJob")]
    public static partial void MarkingStuckJob(ILogger logger, string jobId, string runtime);

    [LoggerMessage(32, LogLevel.Information, "Cleaned up {Count} stuck job(s)", EventName = "StuckJobsReaped")]
    public static partial void StuckJobsReaped(ILogger logger, int count);

    [LoggerMessage(33, LogLevel.Information, "Job {JobId} changed since it was found stuck; left alone", EventName = "StuckJobChanged")]
    public static partial void StuckJobChanged(ILogger logger, string jobId);

    [LoggerMessage(34, LogLevel.Information, "Startup: Resetting {Count} stale {Statuses} job(s) to FAILED", EventName = "StartupResetting")]
    public static partial void StartupResetting(ILogger logger, int count, string statuses);

    [LoggerMessage(35, LogLevel.Information, "  - Clearing job: {JobId} ({JobType})", EventName = "StartupClearingJob")]
    public static partial void StartupClearingJob(ILogger logger, string jobId, string jobType);

    [LoggerMessage(36, LogLevel.Information, "Startup: Cleanup completed for {Count} job(s)", EventName = "StartupCompleted")]
    public static partial void StartupCompleted(ILogger logger, int count);

    [LoggerMessage(37, LogLevel.Information, "Startup: No stale jobs found", EventName = "StartupNothingStale")]
    public static partial void StartupNothingStale(ILogger logger);

    [LoggerMessage(50, LogLevel.Information, "Quarantined {Path} ({Size}); deleted after {Grace} unless restored", EventName = "ArtifactQuarantined")]
    public static partial void ArtifactQuarantined(ILogger logger, string path, string size, string grace);

    [LoggerMessage(51, LogLevel.Debug, "Moved {Path} of job {JobId} to {Destination}", EventName = "QuarantineMoved")]
    public static partial void QuarantineMoved(ILogger logger, string path, string jobId, string destination);

    [LoggerMessage(52, LogLevel.Information, "Quarantine: deleted {Entries} path(s) quarantined more than {Grace} ago, freeing {Size}", EventName = "QuarantinePurged")]
    public static partial void QuarantinePurged(ILogger logger, long entries, string grace, string size);

    [LoggerMessage(53, LogLevel.Debug, "Purged {Path} from the quarantine ({Size})", EventName = "QuarantineStampPurged")]
    public static partial void QuarantineStampPurged(ILogger logger, string path, string size);

    [LoggerMessage(54, LogLevel.Warning, "Could not purge {Path} from the quarantine: {Reason}; the next purge tries again", EventName = "QuarantinePurgeFailed")]
    public static partial void QuarantinePurgeFailed(ILogger logger, string path, string? reason);

    [LoggerMessage(55, LogLevel.Information, "Restored {Path} of job {JobId} from the quarantine", EventName = "QuarantineRestored")]
    public static partial void QuarantineRestored(ILogger logger, string path, string jobId);

    [LoggerMessage(56, LogLevel.Warning, "Not restoring {Path} of job {JobId}: the path exists again; the quarantined copy stays at {QuarantinedPath}", EventName = "QuarantineRestoreConflict")]
    public static partial void QuarantineRestoreConflict(ILogger logger, string path, string jobId, string quarantinedPath);

    [LoggerMessage(57, LogLevel.Warning, "Could not restore {Path} of job {JobId}: {Reason}; it stays in the quarantine", EventName = "QuarantineRestoreFailed")]
    public static partial void QuarantineRestoreFailed(ILogger logger, string path, string jobId, string reason);

    [LoggerMessage(58, LogLevel.Information, "Moved {Size} of job data to the quarantine; deleted after {Grace} unless restored", EventName = "QuarantineSummary")]
    public static partial void QuarantineSummary(ILogger logger, string size, string grace);

    [LoggerMessage(59, LogLevel.Warning, "Purging the quarantine failed: {Error}; the run goes on", EventName = "QuarantinePurgeError")]
    public static partial void QuarantinePurgeError(ILogger logger, Exception exception, string error);

    [LoggerMessage(23, LogLevel.Warning, "Cleanup notifier {Notifier} failed: {Error}; the run is not affected", EventName = "NotifierFailed")]
    public static partial void NotifierFailed(ILogger logger, Exception exception, string notifier, string error);

    [LoggerMessage(24, LogLevel.Warning, "A progress callback failed: {Error}; the run goes on", EventName = "ProgressCallbackFailed")]
    public static partial void ProgressCallbackFailed(ILogger logger, Exception exception, string error);

    [LoggerMessage(60, LogLevel.Information, "Job {JobId} changed or was claimed elsewhere since it was planned; left alone this run", EventName = "JobChangedSincePlanned")]
    public static partial void JobChangedSincePlanned(ILogger logger, string jobId);

    [LoggerMessage(61, LogLevel.Warning, "Run {RunId} lost the leader lock '{Lock}'; it stops before its next job and another instance takes over", EventName = "LeaseLost")]
    public static partial void LeaseLost(ILogger logger, string runId, string @lock);

    [LoggerMessage(62, LogLevel.Warning, "Could not release run {RunId}'s claims ({Error}); they lapse at their timeout", EventName = "ClaimReleaseFailed")]
    public static partial void ClaimReleaseFailed(ILogger logger, Exception exception, string runId, string error);

    [LoggerMessage(63, LogLevel.Warning, "Run {RunId} stopped: {Reason}", EventName = "CircuitBreakerTripped")]
    public static partial void CircuitBreakerTripped(ILogger logger, string runId, string reason);

    [LoggerMessage(76, LogLevel.Warning, "Run {RunId} goes past the mass-deletion guard: confirmed by {RequestedBy}", EventName = "MassDeletionConfirmed")]
    public static partial void MassDeletionConfirmed(ILogger logger, string runId, string requestedBy);

    [LoggerMessage(64, LogLevel.Information, "Deletion root {Name}: {Path}", EventName = "DeletionRoot")]
    public static partial void DeletionRoot(ILogger logger, string name, string path);

    [LoggerMessage(65, LogLevel.Warning, "Deletion by descriptor is not available on this system (it needs Linux 4.11, glibc 2.30 and a known architecture); deleting by path, which a writer racing inside the roots can redirect (docs/safety.md)", EventName = "PathWalkInUse")]
    public static partial void PathWalkInUse(ILogger logger);

    [LoggerMessage(66, LogLevel.Debug, "Store: read {Count} candidate job(s) in {Milliseconds:0.0} ms", EventName = "CandidatesRead")]
    public static partial void CandidatesRead(ILogger logger, int count, double milliseconds);

    [LoggerMessage(67, LogLevel.Debug, "Store: {Operation} for {Count} job(s) in {Milliseconds:0.0} ms", EventName = "StoreWriteTimed")]
    public static partial void StoreWriteTimed(ILogger logger, string operation, int count, double milliseconds);

    [LoggerMessage(68, LogLevel.Debug, "File: {Operation} {Path}: {Outcome}, {Files} file(s), {Size} in {Milliseconds:0.0} ms", EventName = "ArtifactTimed")]
    public static partial void ArtifactTimed(ILogger logger, string operation, string path, string outcome, long files, string size, double milliseconds);

    [LoggerMessage(69, LogLevel.Debug, "Memory: {Managed} managed, {WorkingSet} working set, {Peak} peak working set, {Collections} gen-2 collection(s)", EventName = "MemoryUsed")]
    public static partial void MemoryUsed(ILogger logger, string managed, string workingSet, string peak, int collections);

    [LoggerMessage(75, LogLevel.Warning, "{Jobs} job(s) have the status '{Word}', which no status is mapped to: they are treated as running and never cleaned. Add the word to {Key}:{{Status}} (several words are separated by commas)", EventName = "UnmappedStatusWord")]
    public static partial void UnmappedStatusWord(ILogger logger, long jobs, string word, string key);

    [LoggerMessage(70, LogLevel.Warning, "Could not record {Count} cleaned job(s), whose data is already deleted: {Error}; no more data is deleted until they are recorded; retrying in {Delay:0.0} s (giving up after {Timeout})", EventName = "RecordingRetrying")]
    public static partial void RecordingRetrying(ILogger logger, int count, string error, double delay, string timeout);

    [LoggerMessage(71, LogLevel.Information, "Recorded {Count} cleaned job(s) after {Attempts} attempt(s)", EventName = "RecordingRecovered")]
    public static partial void RecordingRecovered(ILogger logger, int count, int attempts);

    [LoggerMessage(72, LogLevel.Error, "The data of {Count} job(s) was deleted but they could not be recorded cleaned; the next run records them: {JobIds}", EventName = "JobsNotRecorded")]
    public static partial void JobsNotRecorded(ILogger logger, int count, string jobIds);

    [LoggerMessage(77, LogLevel.Information, "Trimmed the library's own records older than {Kept}: {AuditRows} audit row(s), {Runs} recorded run(s)", EventName = "RecordsTrimmed")]
    public static partial void RecordsTrimmed(ILogger logger, long auditRows, long runs, string kept);

    [LoggerMessage(78, LogLevel.Warning, "Trimming the audit rows and run history failed: {Error}; the run goes on", EventName = "RecordTrimFailed")]
    public static partial void RecordTrimFailed(ILogger logger, Exception exception, string error);
}
