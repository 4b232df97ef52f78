namespace Retention.Cleanup;

/// <summary>A progress snapshot, reported after each batch.</summary>
/// <param name="Stage">Where the run is.</param>
/// <param name="JobsScanned">Candidates read so far.</param>
/// <param name="JobsCleaned">Jobs cleaned so far.</param>
/// <param name="BytesFreed">Bytes freed so far.</param>
/// <param name="DryRun">Whether the run is a dry run.</param>
public readonly record struct CleanupProgress(CleanupStage Stage, long JobsScanned, long JobsCleaned, long BytesFreed, bool DryRun);
