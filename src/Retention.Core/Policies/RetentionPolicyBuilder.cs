namespace Retention.Policies;

/// <summary>Builds an immutable <see cref="RetentionPolicy"/>.</summary>
public sealed class RetentionPolicyBuilder
{
    private readonly List<RetentionRule> _rules = [];

    /// <summary>Adds a rule.</summary>
    /// <param name="name">A unique name, shown in reasons and tombstones.</param>
    /// <param name="configure">Describes the rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is taken, or the rule is incomplete or selects active jobs.</exception>
    public RetentionPolicyBuilder AddRule(string name, Action<RetentionRuleBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (_rules.Exists(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"A rule named '{name}' is already in the policy; rule names must be unique.", nameof(name));
        }

        var builder = new RetentionRuleBuilder(name);
        configure(builder);
        _rules.Add(builder.Build());
        return this;
    }

    /// <summary>
    /// Adds the default rules: succeeded jobs' inputs and outputs after <paramref name="succeeded"/>; failed and cancelled
    /// jobs' data after <paramref name="failed"/> (a cancelled job's partial results are as little wanted as a failed one's,
    /// and keeping them forever by default would fill the disk unnoticed).
    /// </summary>
    /// <param name="succeeded">Retention of succeeded jobs' inputs and outputs (default: 168 hours).</param>
    /// <param name="failed">Retention of all of failed and cancelled jobs' data (default: 12 hours).</param>
    /// <returns>This builder.</returns>
    public RetentionPolicyBuilder AddDefaults(TimeSpan succeeded, TimeSpan failed) => this
        .AddRule("succeeded-data", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Input, ArtifactKind.Output).RetainFor(succeeded))
        .AddRule("failed-data", r => r.ForStatus(JobStatus.Failed).RetainFor(failed))
        .AddRule("cancelled-data", r => r.ForStatus(JobStatus.Cancelled).RetainFor(failed));

    /// <summary>Builds the policy.</summary>
    /// <returns>The immutable policy.</returns>
    public RetentionPolicy Build() => new(_rules.ToArray());
}
