using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Policies;

namespace Retention.Docs.Snippets;

// docs/governance.md: the outlook and a policy comparison from code, and a notice notifier.
internal static class Outlook
{
    public static async Task ReadAndCompare(IJobExplainer explainer, CancellationToken ct)
    {
        var outlook = await explainer.GetOutlookAsync(TimeSpan.FromDays(1), ct);
        Console.WriteLine($"{outlook.OverdueJobs} job(s) overdue, oldest since {outlook.OldestOverdueSince}");
        foreach (var job in outlook.Overdue)
        {
            Console.WriteLine($"{job.JobId}: due {job.DueAt}, stays because {job.StaysBecause}");
        }

        var candidate = RetentionPolicy.CreateBuilder().AddDefaults(TimeSpan.FromDays(3), TimeSpan.FromHours(12)).Build();
        var comparison = await explainer.CompareAsync(candidate, ct);
        var (jobs, bytes) = comparison.Total(PolicyChangeKind.BecomesDue);
        Console.WriteLine($"{jobs} job(s), {bytes} bytes would become due");
    }
}

internal sealed class PagerNotice : IDeletionNoticeNotifier
{
    public ValueTask NotifyUpcomingAsync(RetentionOutlook outlook, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"{outlook.UpcomingJobs} job(s) become due within {outlook.Window}");
        return ValueTask.CompletedTask;
    }
}
