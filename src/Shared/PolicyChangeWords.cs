using Retention.Cleanup.Outlook;

namespace Retention;

/// <summary>The words a comparison's kinds are written in, the same in the endpoints' JSON and the tool's.</summary>
internal static class PolicyChangeWords
{
    public static string Word(PolicyChangeKind kind) => kind switch
    {
        PolicyChangeKind.BecomesDue => "becomes_due",
        PolicyChangeKind.NoLongerDue => "no_longer_due",
        PolicyChangeKind.DueEarlier => "due_earlier",
        _ => "due_later",
    };
}
