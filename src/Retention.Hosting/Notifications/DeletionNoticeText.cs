using System.Globalization;
using System.Text;
using Retention.Cleanup.Outlook;

namespace Retention.Hosting.Notifications;

/// <summary>The notice before data goes, in words: what becomes due within the window, soonest first, and how to keep a job.</summary>
internal static class DeletionNoticeText
{
    /// <summary>How many jobs the message names; the counts cover all of them.</summary>
    public const int ListedJobs = 10;

    public static string Text(RetentionOutlook outlook)
    {
        var text = new StringBuilder();
        text.Append(":hourglass: ").Append(outlook.UpcomingJobs).Append(" job(s) holding ").Append(ByteSize.Format(outlook.UpcomingBytes))
            .Append(" become due for deletion within ").Append(Policies.RetentionPeriod.Describe(outlook.Window)).AppendLine(":");
        foreach (var job in outlook.Upcoming.Take(ListedJobs))
        {
            var due = job.DueAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "soon";
            text.Append("• ").Append(job.JobId).Append(" (").Append(job.Status).Append(", ").Append(ByteSize.Format(job.Bytes)).Append(") at ").AppendLine(due);
        }

        if (outlook.UpcomingJobs > ListedJobs)
        {
            text.Append("…and ").Append(outlook.UpcomingJobs - ListedJobs).AppendLine(" more.");
        }

        text.Append("To keep one: retention hold add JOB_ID --reason \"...\", or POST {\"job_id\": \"...\", \"reason\": \"...\"} to the cleanup endpoints' holds.");
        return text.ToString();
    }
}
