namespace Retention.Hosting;

/// <summary>The run-time stale-job reaper (section <c>JobCleanup:Background:Reaper</c>); what counts as stuck is <see cref="Retention.Reaping.StaleJobOptions"/>.</summary>
public sealed class ReaperOptions
{
    /// <summary>Fails stuck jobs every <see cref="Interval"/>, when the store can (<see cref="Stores.IStaleJobStore"/>). Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often to look for stuck jobs. Default: 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
