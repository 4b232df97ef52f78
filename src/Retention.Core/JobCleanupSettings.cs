using Retention.Artifacts;
using Retention.Cleanup;
using Retention.Policies;
using Retention.Quarantine;
using Retention.Reaping;

namespace Retention;

/// <summary>
/// What the options mean once resolved: the effective policy, the parsed conventions and statuses.
/// The validator and the engine both resolve through here, so what is validated is what runs.
/// </summary>
internal sealed class JobCleanupSettings
{
    private static readonly (string Root, string Pattern, ArtifactKind Kind)[] DefaultConventions =
    [
        ("uploads", "{jobId}_*", ArtifactKind.Input),
        ("results", "{jobId}", ArtifactKind.Output),
        ("temp", "{jobId}", ArtifactKind.Temp),
    ];

    private JobCleanupSettings(RetentionPolicy policy, IReadOnlyList<ArtifactConvention> conventions, JobStatus[] staleStatuses, JobStatus[] startupStatuses)
    {
        Policy = policy;
        Conventions = conventions;
        StaleStatuses = staleStatuses;
        StartupStatuses = startupStatuses;
    }

    public RetentionPolicy Policy { get; }

    public IReadOnlyList<ArtifactConvention> Conventions { get; }

    public JobStatus[] StaleStatuses { get; }

    public JobStatus[] StartupStatuses { get; }

    /// <summary>Resolves the options, adding one message per problem (key, value, what to do) to <paramref name="errors"/>.</summary>
    public static JobCleanupSettings Resolve(JobCleanupOptions options, List<string> errors)
    {
        const string S = JobCleanupOptions.SectionName;
        if (options.Roots.Count == 0)
        {
            errors.Add($"{S}:Roots: no roots are configured; add the directories that hold job data, for example {S}:Roots:results=/srv/app/results.");
        }

        if (options.BasePath is { } basePath && !Path.IsPathFullyQualified(basePath))
        {
            errors.Add($"{S}:BasePath: '{basePath}' is not an absolute path; relative roots are resolved against it, so it may not depend on the working folder.");
        }

        // Each root checked once (a check reads the disk); the valid ones, by their absolute path, for the nesting check.
        var validRoots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, path) in options.Roots)
        {
            if (Deletion.DeletionRoots.Validate(path, options.BasePath) is { } problem)
            {
                errors.Add($"{S}:Roots:{name}: {problem}.");
            }
            else
            {
                validRoots[Deletion.DeletionRoots.Resolve(path, options.BasePath)!] = name;
            }
        }

        foreach (var (inner, outer) in Deletion.DeletionRoots.Nested([.. validRoots.Keys]))
        {
            errors.Add($"{S}:Roots:{validRoots[inner]}: '{inner}' is inside root '{validRoots[outer]}' ('{outer}'); nested roots would let one root's cleanup delete the other.");
        }

        if (options.BatchSize < 1)
        {
            errors.Add($"{S}:BatchSize: must be at least 1 (was {options.BatchSize}).");
        }

        if (options.MaxParallelDeletions < 1)
        {
            errors.Add($"{S}:MaxParallelDeletions: must be at least 1 (was {options.MaxParallelDeletions}).");
        }

        if (options.MaxReportedJobs < 0)
        {
            errors.Add($"{S}:MaxReportedJobs: may not be negative (was {options.MaxReportedJobs}).");
        }

        if (options.RecordRetention != TimeSpan.Zero && options.RecordRetention < TimeSpan.FromDays(1))
        {
            // The mass-deletion guard reads the last runs: a history trimmed within hours would turn it off.
            errors.Add($"{S}:RecordRetention: must be at least 1 day, or 0 to keep the records forever (was {options.RecordRetention}).");
        }

        if (options.RecordingTimeout < TimeSpan.Zero)
        {
            errors.Add($"{S}:RecordingTimeout: may not be negative (was {options.RecordingTimeout}).");
        }

        var policy = options.Policy ?? BuildPolicy(options, errors);
        var conventions = ParseConventions(options, errors);

        var stale = options.StaleJobs ?? new StaleJobOptions();
        if (stale.ExecutionTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:StaleJobs:ExecutionTimeout: must be positive (was {stale.ExecutionTimeout}).");
        }

        if (stale.Buffer < TimeSpan.Zero)
        {
            errors.Add($"{S}:StaleJobs:Buffer: may not be negative (was {stale.Buffer}).");
        }

        var quarantine = options.Quarantine ?? new QuarantineOptions();
        if (quarantine.GracePeriod <= TimeSpan.Zero)
        {
            errors.Add($"{S}:Quarantine:GracePeriod: must be positive (was {quarantine.GracePeriod}).");
        }

        if (Quarantine.QuarantineLayout.CheckName(quarantine.FolderName) is { } folderProblem)
        {
            errors.Add($"{S}:Quarantine:FolderName: {folderProblem}.");
        }

        var breaker = options.CircuitBreaker ?? new CircuitBreakerOptions();
        if (breaker.MaxJobsPerRun is < 1)
        {
            errors.Add($"{S}:CircuitBreaker:MaxJobsPerRun: must be at least 1, or unset for no limit (was {breaker.MaxJobsPerRun}).");
        }

        if (breaker.MaxBytesPerRun is < 1)
        {
            errors.Add($"{S}:CircuitBreaker:MaxBytesPerRun: must be at least 1 byte, or unset for no limit (was {breaker.MaxBytesPerRun}).");
        }

        if (breaker.MaxTimesMedianOfRecentRuns is { } times && (!double.IsFinite(times) || times < 1))
        {
            errors.Add($"{S}:CircuitBreaker:MaxTimesMedianOfRecentRuns: must be at least 1, or unset to turn the relative limit off (was {times}).");
        }

        if (breaker.RelativeLimitFloor < 1)
        {
            errors.Add($"{S}:CircuitBreaker:RelativeLimitFloor: must be at least 1 job (was {breaker.RelativeLimitFloor}).");
        }

        if (breaker.MaxShareOfStoredJobs is { } share && !(share > 0 && share <= 1))
        {
            errors.Add($"{S}:CircuitBreaker:MaxShareOfStoredJobs: must be a share above 0 and at most 1 (0.25 for a quarter), or unset for no limit (was {share}).");
        }

        var staleStatuses = ParseActiveStatuses(stale.Statuses, JobCleanupDefaults.StaleStatuses, $"{S}:StaleJobs:Statuses", errors);
        var startupStatuses = ParseActiveStatuses(stale.StartupStatuses, JobCleanupDefaults.StartupStatuses, $"{S}:StaleJobs:StartupStatuses", errors);
        return new JobCleanupSettings(policy, conventions, staleStatuses, startupStatuses);
    }

    /// <summary>Resolves valid options; throws with every problem listed when they are not.</summary>
    public static JobCleanupSettings Resolve(JobCleanupOptions options)
    {
        var errors = new List<string>();
        var settings = Resolve(options, errors);
        return errors.Count == 0 ? settings : throw new RetentionConfigurationException(string.Join(Environment.NewLine, errors));
    }

    internal static RetentionPolicy BuildPolicy(JobCleanupOptions options, List<string> errors)
    {
        const string S = JobCleanupOptions.SectionName;
        var builder = RetentionPolicy.CreateBuilder();
        if (options.Rules.Count == 0)
        {
            var ok = true;
            if (options.SucceededRetention <= TimeSpan.Zero)
            {
                errors.Add($"{S}:SucceededRetention: must be positive (was {options.SucceededRetention}); to keep succeeded jobs' data forever, add a rule with Retention 'forever'.");
                ok = false;
            }

            if (options.FailedRetention <= TimeSpan.Zero)
            {
                errors.Add($"{S}:FailedRetention: must be positive (was {options.FailedRetention}); to delete failed jobs' data at once, add a rule with Retention 'immediately'.");
                ok = false;
            }

            return ok ? builder.AddDefaults(options.SucceededRetention, options.FailedRetention).Build() : RetentionPolicy.Default;
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"{S}:Rules:{i}";
            var errorsBefore = errors.Count;
            var statuses = new List<JobStatus>();
            foreach (var name in rule.Statuses)
            {
                if (!JobStatusNames.TryParse(name, out var status))
                {
                    errors.Add($"{key}:Statuses: unknown status '{name}'; use one of {JobStatusNames.Accepted}.");
                }
                else if (status.IsActive())
                {
                    errors.Add($"{key}:Statuses: '{name}' is an active status; active jobs are never cleaned, so rules select only Succeeded, Failed or Cancelled.");
                }
                else
                {
                    statuses.Add(status);
                }
            }

            if (rule.Statuses.Count == 0)
            {
                errors.Add($"{key}:Statuses: a rule must select at least one status (Succeeded, Failed or Cancelled).");
            }

            if (!Policies.RetentionPeriod.TryParse(rule.Retention, out var period, out var periodError))
            {
                errors.Add($"{key}:Retention: {periodError}.");
            }

            var kinds = new List<ArtifactKind>();
            foreach (var kind in rule.ArtifactKinds)
            {
                if (string.IsNullOrWhiteSpace(kind))
                {
                    errors.Add($"{key}:ArtifactKinds: an artifact kind is empty.");
                }
                else
                {
                    kinds.Add(new ArtifactKind(kind));
                }
            }

            var ruleName = string.IsNullOrWhiteSpace(rule.Name) ? $"rule-{i}" : rule.Name;
            if (errors.Count == errorsBefore)
            {
                try
                {
                    builder.AddRule(ruleName, r => r.ForStatus([.. statuses]).ForJobTypes([.. rule.JobTypes]).ForArtifacts([.. kinds]).Retain(period).Apply(rule.Action));
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{key}: {ex.Message}");
                }
            }
        }

        return builder.Build();
    }

    private static List<ArtifactConvention> ParseConventions(JobCleanupOptions options, List<string> errors)
    {
        const string S = JobCleanupOptions.SectionName;
        var conventions = new List<ArtifactConvention>();
        var roots = options.Roots.ToDictionary(r => r.Key, r => string.IsNullOrWhiteSpace(r.Value) ? string.Empty : Deletion.DeletionRoots.Resolve(r.Value, options.BasePath) ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        if (options.UseDefaultConventions)
        {
            foreach (var (root, pattern, kind) in DefaultConventions)
            {
                if (roots.TryGetValue(root, out var rootPath) && rootPath.Length > 0 && ArtifactConvention.TryParse(rootPath, pattern, kind, out var convention) is null)
                {
                    conventions.Add(convention!);
                }
            }
        }

        for (var i = 0; i < options.Conventions.Count; i++)
        {
            var item = options.Conventions[i];
            var key = $"{S}:Conventions:{i}";
            if (item.Root is null || !roots.TryGetValue(item.Root, out var rootPath))
            {
                errors.Add($"{key}:Root: '{item.Root}' is not a configured root; use one of: {string.Join(", ", roots.Keys)}.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Kind))
            {
                errors.Add($"{key}:Kind: the artifact kind is required (input, output, temp, log or your own).");
                continue;
            }

            if (ArtifactConvention.TryParse(rootPath, item.Pattern, new ArtifactKind(item.Kind), out var convention) is { } problem)
            {
                errors.Add($"{key}:Pattern: {problem}.");
                continue;
            }

            conventions.Add(convention!);
        }

        return conventions;
    }

    private static JobStatus[] ParseActiveStatuses(IList<string>? names, JobStatus[] defaults, string key, List<string> errors)
    {
        if (names is null || names.Count == 0)
        {
            return defaults;
        }

        var statuses = new List<JobStatus>();
        foreach (var name in names)
        {
            if (!JobStatusNames.TryParse(name, out var status))
            {
                errors.Add($"{key}: unknown status '{name}'; use one of {JobStatusNames.Accepted}.");
            }
            else if (!status.IsActive())
            {
                errors.Add($"{key}: '{name}' is not an active status; only Pending, Scheduled and Running jobs can be stale.");
            }
            else
            {
                statuses.Add(status);
            }
        }

        return [.. statuses.Distinct()];
    }
}
