using Polly;
using Retention.Artifacts;
using Retention.Cleanup;
using Retention.Policies;
using Retention.Quarantine;
using Retention.Reaping;

namespace Retention;

/// <summary>
/// Everything a cleanup needs to know, bound from the <c>JobCleanup</c> configuration section and from code,
/// validated when the host starts. Every bad value is reported at once, with its key.
/// </summary>
public sealed class JobCleanupOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "JobCleanup";

    /// <summary>
    /// The directories deletion is confined to, by name (<c>uploads</c>, <c>results</c>, <c>temp</c>, ...). Each must exist, may not be
    /// a symbolic link nor pass through one, and may not be a filesystem root, a home directory or a system folder such as <c>/tmp</c>
    /// (a folder inside it is fine). A relative root is resolved against <see cref="BasePath"/>. Roots named <c>uploads</c>, <c>results</c> and <c>temp</c> bring the default conventions.
    /// </summary>
    public IDictionary<string, string> Roots { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The absolute directory relative roots and artifact paths are resolved against. Relative roots need it (a host built with
    /// <c>Retention.Hosting</c> sets it to the content root, the <c>retention</c> tool to its working folder); artifact paths
    /// fall back to the current directory.
    /// </summary>
    public string? BasePath { get; set; }

    /// <summary>Whether roots named <c>uploads</c>, <c>results</c> and <c>temp</c> bring the default conventions (<c>uploads/{jobId}_*</c> inputs, <c>results/{jobId}</c> outputs, <c>temp/{jobId}</c> temp files). Default: true.</summary>
    public bool UseDefaultConventions { get; set; } = true;

    /// <summary>More naming conventions that locate a job's files.</summary>
    public IList<ArtifactConventionOptions> Conventions { get; } = [];

    /// <summary>Retention of succeeded jobs' inputs and outputs when no <see cref="Rules"/> are given. Default: 168 hours.</summary>
    public TimeSpan SucceededRetention { get; set; } = JobCleanupDefaults.SucceededRetention;

    /// <summary>Retention of all of failed jobs' data when no <see cref="Rules"/> are given. Default: 12 hours.</summary>
    public TimeSpan FailedRetention { get; set; } = JobCleanupDefaults.FailedRetention;

    /// <summary>Retention rules from configuration; when present they replace the two retention shortcuts above.</summary>
    public IList<RetentionRuleOptions> Rules { get; } = [];

    /// <summary>
    /// How long the library's own records are kept: the store's audit rows and run history (a store that implements
    /// <see cref="Stores.IRecordTrimStore"/>). Each run that deletes trims what is older. <see cref="TimeSpan.Zero"/> keeps
    /// them forever. At least a day. Default: 90 days.
    /// </summary>
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A policy built in code; when set it replaces <see cref="Rules"/> and the retention shortcuts.</summary>
    public RetentionPolicy? Policy { get; set; }

    /// <summary>
    /// The policy these options describe: <see cref="Policy"/> when set, else <see cref="Rules"/>, else the two retention
    /// shortcuts, checked as at start. For a candidate policy read from configuration, to compare with the one in force.
    /// </summary>
    /// <returns>The policy.</returns>
    /// <exception cref="RetentionConfigurationException">A rule or a retention is invalid; the message names every problem with its key.</exception>
    public RetentionPolicy BuildPolicy()
    {
        var errors = new List<string>();
        var policy = Policy ?? JobCleanupSettings.BuildPolicy(this, errors);
        return errors.Count == 0 ? policy : throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
    }

    /// <summary>Jobs processed (and recorded) per batch. Default: 100.</summary>
    public int BatchSize { get; set; } = JobCleanupDefaults.BatchSize;

    /// <summary>Jobs whose data is deleted at the same time. Default: 4.</summary>
    public int MaxParallelDeletions { get; set; } = JobCleanupDefaults.MaxParallelDeletions;

    /// <summary>Forces every run to be a dry run. Default: false.</summary>
    public bool DryRun { get; set; }

    /// <summary>Per-job details kept in a report; the totals always count every job. Default: 1000.</summary>
    public int MaxReportedJobs { get; set; } = JobCleanupDefaults.MaxReportedJobs;

    /// <summary>
    /// How long a run keeps retrying, with growing pauses, to record jobs whose data it has already deleted when the store
    /// fails transiently (a locked database), before it stops and reports those jobs as deleted but not recorded. No more
    /// data is deleted while it waits. Default: 5 minutes.
    /// </summary>
    public TimeSpan RecordingTimeout { get; set; } = JobCleanupDefaults.RecordingTimeout;

    /// <summary>How the stale-job reaper decides that a job is stuck.</summary>
    public StaleJobOptions StaleJobs { get; set; } = new();

    /// <summary>Staged deletion: due data is moved to a quarantine folder and deleted after a grace period (configuration section <c>JobCleanup:Quarantine</c>).</summary>
    public QuarantineOptions Quarantine { get; set; } = new();

    /// <summary>Limits on what one run may delete (configuration section <c>JobCleanup:CircuitBreaker</c>); off by default.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// Retries transient failures of deletions and store writes. Default: 3 retries with exponential back-off from 200 ms,
    /// for <see cref="TransientRetentionException"/>, <see cref="TimeoutException"/> and busy files. Set in code.
    /// </summary>
    public ResiliencePipeline? ResiliencePipeline { get; set; }

    /// <summary>What reading the configuration found wrong, reported with the validation's own errors at start.</summary>
    internal List<string> ConfigurationProblems { get; } = [];

    /// <summary>Adds a root.</summary>
    /// <param name="name">Its name, such as <c>uploads</c>.</param>
    /// <param name="path">Its path.</param>
    /// <returns>These options.</returns>
    public JobCleanupOptions AddRoot(string name, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Roots[name] = path;
        return this;
    }
}
