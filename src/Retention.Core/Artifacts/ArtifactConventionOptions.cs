namespace Retention.Artifacts;

/// <summary>
/// Where a job's files are found by naming convention, in addition to the artifacts the store records.
/// The default conventions are <c>uploads/{jobId}_*</c> (inputs) and <c>results/{jobId}</c> (outputs).
/// </summary>
public sealed class ArtifactConventionOptions
{
    /// <summary>The name of the root (a key of <see cref="JobCleanupOptions.Roots"/>) the pattern is relative to.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// A relative path containing <c>{jobId}</c> once: an exact path such as <c>{jobId}</c> or <c>logs/{jobId}.log</c>,
    /// or a prefix ending in <c>*</c> such as <c>{jobId}_*</c>.
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>The kind of the artifacts found (<c>input</c>, <c>output</c>, ...).</summary>
    public string? Kind { get; set; }
}
