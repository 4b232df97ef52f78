namespace Retention.Cleanup;

/// <summary>What a run did with one job.</summary>
public enum JobCleanupOutcome
{
    /// <summary>Every artifact the policy deletes is gone (or, in a dry run, would be); the job was recorded cleaned.</summary>
    Cleaned,

    /// <summary>Due artifacts were deleted; others are not yet due, so the job is not recorded cleaned yet.</summary>
    PartlyCleaned,

    /// <summary>Some due artifact could not be deleted (refused or failed); the job stays uncleaned for the next run.</summary>
    Failed,

    /// <summary>Nothing of the job is due yet.</summary>
    Skipped,

    /// <summary>The job is active or pinned; nothing was touched.</summary>
    Protected,
}
