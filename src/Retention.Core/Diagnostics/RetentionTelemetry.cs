using System.Diagnostics;

namespace Retention.Diagnostics;

/// <summary>The names the library's telemetry is published under.</summary>
public static class RetentionTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> and of the <see cref="ActivitySource"/>: <c>Retention</c>.</summary>
    public const string Name = "Retention";

    /// <summary>Counter of runs, tagged <c>outcome</c> and <c>dry_run</c>.</summary>
    public const string Runs = "retention.runs";

    /// <summary>Counter of jobs whose data was cleaned, tagged <c>status</c>.</summary>
    public const string JobsCleaned = "retention.jobs.cleaned";

    /// <summary>Counter of bytes freed, tagged <c>kind</c>.</summary>
    public const string BytesFreed = "retention.bytes.freed";

    /// <summary>Counter of artifacts that could not be deleted, tagged <c>outcome</c> (refused or failed).</summary>
    public const string ArtifactsFailed = "retention.artifacts.failed";

    /// <summary>Histogram of run durations in seconds, tagged <c>outcome</c>.</summary>
    public const string RunDuration = "retention.run.duration";

    /// <summary>Counter of stuck jobs marked failed, tagged <c>mode</c> (runtime or startup).</summary>
    public const string JobsReaped = "retention.jobs.reaped";

    /// <summary>Counter of orphaned paths found by sweeps, tagged <c>mode</c>: <c>delete</c> for a deleting sweep, <c>list</c> for a dry run.</summary>
    public const string OrphansFound = "retention.orphans.found";

    /// <summary>Counter of orphaned paths deleted.</summary>
    public const string OrphansDeleted = "retention.orphans.deleted";

    /// <summary>Observable gauge of bytes held by jobs whose data is not cleaned yet, tagged <c>status</c> (published by Retention.Hosting).</summary>
    public const string StorageHeld = "retention.storage.held";

    /// <summary>Observable gauge of jobs with data past due and still present (published by Retention.Hosting's outlook).</summary>
    public const string OverdueJobs = "retention.overdue.jobs";

    /// <summary>Observable gauge of the recorded bytes of data past due and still present (published by Retention.Hosting's outlook).</summary>
    public const string OverdueBytes = "retention.overdue.bytes";

    /// <summary>Observable gauge of how long, in seconds, the longest-overdue data has been due (published by Retention.Hosting's outlook).</summary>
    public const string OverdueOldestAge = "retention.overdue.oldest_age";

    internal static readonly ActivitySource ActivitySource = new(Name);
}
