namespace Retention.Policies;

/// <summary>Describes one rule fluently; used through <see cref="RetentionPolicyBuilder.AddRule"/>.</summary>
public sealed class RetentionRuleBuilder
{
    private readonly List<JobStatus> _statuses = [];
    private readonly List<string> _jobTypes = [];
    private readonly List<ArtifactKind> _kinds = [];
    private RetentionPeriod? _period;
    private RetentionAction _action = RetentionAction.DeleteArtifacts;

    internal RetentionRuleBuilder(string name) => Name = name;

    internal string Name { get; }

    /// <summary>Selects jobs in these finished statuses.</summary>
    /// <param name="statuses">Succeeded, Failed or Cancelled.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder ForStatus(params JobStatus[] statuses)
    {
        _statuses.AddRange(statuses);
        return this;
    }

    /// <summary>Selects only jobs of these types (by default every type).</summary>
    /// <param name="jobTypes">The host's job type names.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder ForJobTypes(params string[] jobTypes)
    {
        _jobTypes.AddRange(jobTypes);
        return this;
    }

    /// <summary>Covers only artifacts of these kinds (by default every kind).</summary>
    /// <param name="kinds">The kinds.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder ForArtifacts(params ArtifactKind[] kinds)
    {
        _kinds.AddRange(kinds);
        return this;
    }

    /// <summary>Keeps the data for <paramref name="age"/> after the job finished.</summary>
    /// <param name="age">A positive age.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder RetainFor(TimeSpan age) => Retain(RetentionPeriod.After(age));

    /// <summary>Keeps the data of the newest <paramref name="count"/> jobs of each type and status.</summary>
    /// <param name="count">At least 1.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder KeepLast(int count) => Retain(RetentionPeriod.KeepLast(count));

    /// <summary>Keeps the data forever.</summary>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder KeepForever() => Retain(RetentionPeriod.Forever);

    /// <summary>Deletes the data as soon as the job has finished.</summary>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder DeleteImmediately() => Retain(RetentionPeriod.Immediately);

    /// <summary>Sets the retention period.</summary>
    /// <param name="period">The period.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder Retain(RetentionPeriod period)
    {
        _period = period;
        return this;
    }

    /// <summary>When due, deletes the artifacts and then the job's record too (by default the record is kept).</summary>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder ThenPurgeRecord()
    {
        _action = RetentionAction.PurgeRecord;
        return this;
    }

    /// <summary>When due, deletes the artifacts and keeps the record (the default).</summary>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder ThenKeepRecord()
    {
        _action = RetentionAction.DeleteArtifacts;
        return this;
    }

    /// <summary>Sets what happens when the retention runs out.</summary>
    /// <param name="action">The action.</param>
    /// <returns>This builder.</returns>
    public RetentionRuleBuilder Apply(RetentionAction action)
    {
        _action = action;
        return this;
    }

    internal RetentionRule Build()
    {
        if (_period is null)
        {
            throw new ArgumentException($"Rule '{Name}' has no retention; call RetainFor, KeepLast, KeepForever or DeleteImmediately.");
        }

        return new RetentionRule(Name, _statuses, _jobTypes, _kinds, _period.Value, _action);
    }
}
