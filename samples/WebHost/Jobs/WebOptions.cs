namespace WebHost.Jobs;

/// <summary>The sample's settings (section <c>Web</c>).</summary>
internal sealed class WebOptions
{
    /// <summary>Where jobs.db, uploads/ and results/ live.</summary>
    public string DataDirectory { get; set; } = "web-data";

    /// <summary>How long a demo job runs.</summary>
    public TimeSpan JobDuration { get; set; } = TimeSpan.FromSeconds(2);
}
