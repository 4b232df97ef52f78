namespace Retention.Cleanup;

/// <summary>Where a run is.</summary>
public enum CleanupStage
{
    /// <summary>Reading candidates from the store.</summary>
    Scanning,

    /// <summary>Deleting (or measuring) a batch of jobs' artifacts.</summary>
    Deleting,

    /// <summary>Recording a batch's cleaned jobs in the store.</summary>
    Recording,

    /// <summary>Done.</summary>
    Finished,
}
