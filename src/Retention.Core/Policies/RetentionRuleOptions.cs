namespace Retention.Policies;

/// <summary>One retention rule as bound from configuration (<c>JobCleanup:Rules:0</c>, ...).</summary>
public sealed class RetentionRuleOptions
{
    /// <summary>A unique name, shown in reasons and tombstones. Defaults to <c>rule-{index}</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Finished statuses the rule selects: <c>Succeeded</c> (or <c>completed</c>), <c>Failed</c>, <c>Cancelled</c>.</summary>
    public IList<string> Statuses { get; set; } = [];

    /// <summary>Job types the rule selects; empty selects every type.</summary>
    public IList<string> JobTypes { get; set; } = [];

    /// <summary>Artifact kinds the rule covers (<c>input</c>, <c>output</c>, <c>temp</c>, <c>log</c>, or a host's own); empty covers every kind.</summary>
    public IList<string> ArtifactKinds { get; set; } = [];

    /// <summary>How long: <c>168h</c>, <c>7d</c>, <c>7.00:00:00</c>, <c>forever</c>, <c>immediately</c>, <c>keep-last 5</c>.</summary>
    public string? Retention { get; set; }

    /// <summary>What happens when due: delete the artifacts and keep the record (the default), or purge the record too.</summary>
    public RetentionAction Action { get; set; } = RetentionAction.DeleteArtifacts;
}
