using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Retention.Cleanup;

namespace Retention;

/// <summary>
/// A run's summary in words, for people: the text a webhook or an e-mail carries, and the Slack message with its
/// attachment fields (jobs cleaned, space freed, status). One wording for the host's notifier and the tool's.
/// </summary>
internal static class CleanupSummary
{
    /// <summary>The first line: outcome, run and trigger.</summary>
    public static string Title(CleanupReport report)
    {
        var icon = report.Succeeded ? ":white_check_mark:" : ":warning:";
        return $"{icon} {(report.DryRun ? "Job cleanup preview " : "Job cleanup ")}{report.Outcome.ToString().ToLowerInvariant()} (run {report.RunId}, trigger {report.Trigger})";
    }

    /// <summary>The message: the title, a summary line per status, then what went wrong.</summary>
    public static string Text(CleanupReport report)
    {
        var stats = report.Stats;
        var text = new StringBuilder();
        text.AppendLine(Title(report));
        text.Append(report.DryRun ? "Would clean " : "Cleaned ").Append(stats.JobsCleaned).Append(" job(s), ")
            .Append(report.DryRun ? "freeing ~" : "freed ").Append(ByteSize.Format(stats.BytesFreed))
            .Append(" in ").Append(Durations.ToClock(stats.Duration)).AppendLine();
        foreach (var (status, count) in stats.JobsCleanedByStatus.OrderBy(p => p.Key))
        {
            text.Append("• ").Append(count).Append(' ').Append(status.ToWord()).Append(": ").AppendLine(ByteSize.Format(stats.FreedIn(status)));
        }

        if (stats.JobsFailed > 0)
        {
            text.Append(stats.JobsFailed).AppendLine(" job(s) could not be cleaned; they are retried next run");
        }

        if (report.Error is not null)
        {
            text.Append("Error: ").AppendLine(report.Error);
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>"Success", "Partial" (jobs left uncleaned), "Preview", or the outcome ("Failed", "Cancelled", ...).</summary>
    public static string Status(CleanupReport report) =>
        report.Succeeded ? (report.DryRun ? "Preview" : "Success")
        : report.Outcome == CleanupOutcome.Completed ? "Partial"
        : report.Outcome.ToString();

    /// <summary>
    /// A Slack incoming-webhook message: the title as <c>text</c>, and one attachment whose fields are Jobs Cleaned, Space
    /// Freed and Status (green when the run succeeded, red otherwise), with the full summary as the attachment's text.
    /// </summary>
    public static JsonObject SlackMessage(CleanupReport report)
    {
        static JsonObject Field(string title, string value) => new() { ["title"] = title, ["value"] = value, ["short"] = true };
        return new JsonObject
        {
            ["text"] = Title(report),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["color"] = report.Succeeded ? "good" : "danger",
                ["fields"] = new JsonArray(
                    Field("Jobs Cleaned", report.Stats.JobsCleaned.ToString(CultureInfo.InvariantCulture)),
                    Field("Space Freed", ByteSize.Format(report.Stats.BytesFreed)),
                    Field("Status", Status(report))),
                ["text"] = Text(report),
            }),
        };
    }
}
