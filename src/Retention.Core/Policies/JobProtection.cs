namespace Retention.Policies;

/// <summary>Why a job is out of every rule's reach, if it is.</summary>
public enum JobProtection
{
    /// <summary>Not protected: the rules decide.</summary>
    None,

    /// <summary>Pending, scheduled or running.</summary>
    Active,

    /// <summary>A hold is in force.</summary>
    Pinned,
}
