namespace Retention.Scheduling;

/// <summary>Why an instance of a fleet did not run a scheduled occurrence itself.</summary>
public enum OccurrenceSkipReason
{
    /// <summary>Another instance held the leader lock when this one woke for the occurrence: that instance runs it.</summary>
    LockHeldElsewhere,

    /// <summary>The shared run history already has a scheduled run for the occurrence: another instance ran it.</summary>
    RanElsewhere,
}
