namespace Retention.Policies;

/// <summary>What happens when a rule's retention runs out.</summary>
public enum RetentionAction
{
    /// <summary>Delete the artifacts and keep the job's record (metadata kept forever).</summary>
    DeleteArtifacts,

    /// <summary>Delete the artifacts, then the job's record too.</summary>
    PurgeRecord,
}
