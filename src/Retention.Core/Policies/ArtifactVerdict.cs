namespace Retention.Policies;

/// <summary>What the policy says of one artifact.</summary>
public enum ArtifactVerdict
{
    /// <summary>Leave the artifact where it is.</summary>
    Keep,

    /// <summary>The artifact's retention has run out: delete it.</summary>
    Delete,
}
