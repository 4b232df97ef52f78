namespace Retention.Policies;

/// <summary>
/// One immutable retention rule: which jobs (statuses, job types), which artifacts (kinds), how long, and what then happens.
/// Build rules with <see cref="RetentionPolicyBuilder"/>.
/// </summary>
public sealed class RetentionRule
{
    private readonly int _statusMask;
    private readonly string[] _jobTypes;
    private readonly ArtifactKind[] _kinds;
    private string? _allKindsWords; // "inputs and outputs": the same words for every job the rule explains

    internal RetentionRule(string name, IEnumerable<JobStatus> statuses, IEnumerable<string> jobTypes, IEnumerable<ArtifactKind> kinds, RetentionPeriod period, RetentionAction action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        var statusList = statuses.Distinct().Order().ToArray();
        if (statusList.Length == 0)
        {
            throw new ArgumentException($"Rule '{name}' selects no status; name at least one of Succeeded, Failed, Cancelled.", nameof(statuses));
        }

        var active = statusList.Where(s => s.IsActive()).ToArray();
        if (active.Length > 0)
        {
            throw new ArgumentException($"Rule '{name}' selects {string.Join(", ", active)}; active jobs (pending, scheduled, running) are never cleaned, so a rule cannot select them.", nameof(statuses));
        }

        Statuses = statusList;
        foreach (var status in statusList)
        {
            _statusMask |= 1 << (int)status;
        }

        _jobTypes = jobTypes.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToArray();
        _kinds = kinds.Distinct().ToArray();
        Period = period;
        Action = action;
    }

    /// <summary>The rule's name, shown in reasons and tombstones.</summary>
    public string Name { get; }

    /// <summary>The finished statuses the rule selects.</summary>
    public IReadOnlyList<JobStatus> Statuses { get; }

    /// <summary>The job types the rule selects; empty selects every type.</summary>
    public IReadOnlyList<string> JobTypes => _jobTypes;

    /// <summary>The artifact kinds the rule covers; empty covers every kind.</summary>
    public IReadOnlyList<ArtifactKind> ArtifactKinds => _kinds;

    /// <summary>How long the data is kept.</summary>
    public RetentionPeriod Period { get; }

    /// <summary>What happens when the retention runs out.</summary>
    public RetentionAction Action { get; }

    /// <summary>Whether the rule selects the job by status and type (artifact kinds aside).</summary>
    /// <param name="job">The job.</param>
    /// <returns><see langword="true"/> when the rule applies to the job.</returns>
    public bool Selects(JobRecord job)
    {
        if ((_statusMask & (1 << (int)job.Status)) == 0)
        {
            return false;
        }

        if (_jobTypes.Length == 0)
        {
            return true;
        }

        foreach (var type in _jobTypes)
        {
            if (string.Equals(type, job.JobType, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the rule covers artifacts of <paramref name="kind"/>.</summary>
    /// <param name="kind">The artifact kind.</param>
    /// <returns><see langword="true"/> when the rule covers the kind.</returns>
    public bool Covers(ArtifactKind kind)
    {
        if (_kinds.Length == 0)
        {
            return true;
        }

        foreach (var covered in _kinds)
        {
            if (covered == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The words used in reasons for what the rule covers: "outputs", "inputs and outputs", "data".</summary>
    internal string CoverageWords(ArtifactKind? kind) => _kinds.Length == 0
        ? "data"
        : kind is { } one ? one.Plural : _allKindsWords ??= JoinWords(_kinds.Select(k => k.Plural).ToArray());

    private static string JoinWords(string[] words) =>
        words.Length == 1 ? words[0] : string.Join(", ", words[..^1]) + " and " + words[^1];

    /// <inheritdoc />
    public override string ToString()
    {
        var types = _jobTypes.Length == 0 ? string.Empty : $" of type {string.Join("/", _jobTypes)}";
        var kinds = _kinds.Length == 0 ? "all data" : string.Join(", ", _kinds.Select(k => k.Plural));
        var action = Action == RetentionAction.PurgeRecord ? "then purge the record" : "keep the record";
        return $"{Name}: {kinds} of {string.Join("/", Statuses.Select(s => s.ToWord()))} jobs{types} kept {Period}; {action}";
    }
}
