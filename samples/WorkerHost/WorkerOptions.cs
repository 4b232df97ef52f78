namespace WorkerHost;

/// <summary>The demo worker's settings (section <c>Worker</c>).</summary>
internal sealed class WorkerOptions
{
    /// <summary>Where jobs.db, uploads/ and results/ live.</summary>
    public string DataDirectory { get; set; } = "worker-data";

    /// <summary>How often a new demo job is submitted.</summary>
    public TimeSpan SubmitEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a demo job runs.</summary>
    public TimeSpan JobDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Stops the worker after this long (for scripted demos); runs until Ctrl+C when unset.</summary>
    public TimeSpan? RunFor { get; set; }
}
