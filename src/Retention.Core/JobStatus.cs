namespace Retention;

/// <summary>The lifecycle state of a job, as the cleanup engine sees it. Stores map their own status strings onto it.</summary>
public enum JobStatus
{
    /// <summary>Submitted and waiting to be picked up.</summary>
    Pending,

    /// <summary>Queued for a later start.</summary>
    Scheduled,

    /// <summary>Being processed now.</summary>
    Running,

    /// <summary>Finished successfully (stored as <c>completed</c>).</summary>
    Succeeded,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Stopped before it finished.</summary>
    Cancelled,
}
