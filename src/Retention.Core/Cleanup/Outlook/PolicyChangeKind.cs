namespace Retention.Cleanup.Outlook;

/// <summary>How a candidate policy changes what happens to a job's data, compared with the policy in force.</summary>
public enum PolicyChangeKind
{
    /// <summary>Kept now; due at once under the candidate (the next run would delete it).</summary>
    BecomesDue,

    /// <summary>Due now; kept under the candidate.</summary>
    NoLongerDue,

    /// <summary>Kept under both, but due sooner under the candidate.</summary>
    DueEarlier,

    /// <summary>Kept under both, but due later under the candidate (or never).</summary>
    DueLater,
}
