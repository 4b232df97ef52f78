using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Hosting.Diagnostics;

namespace Retention.Hosting.Notifications;

/// <summary>
/// Posts a Slack-compatible summary (<c>{"text": "..."}</c>) of each run to a webhook, through <see cref="IHttpClientFactory"/>.
/// A failed or slow post is logged and never fails the run.
/// </summary>
internal sealed class WebhookCleanupNotifier(IHttpClientFactory clients, IOptions<WebhookNotifierOptions> options, TimeProvider time, ILogger<WebhookCleanupNotifier> logger) : ICleanupNotifier
{
    public async ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = options.Value;
        if ((report.DryRun && !o.IncludeDryRuns) || (o.OnlyOnFailure && report.Succeeded))
        {
            return;
        }

        using var limit = new CancellationTokenSource(o.Timeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            var client = clients.CreateClient(WebhookNotifierOptions.HttpClientName);
            using var response = await client.PostAsJsonAsync(o.Url, new { text = Summarize(report) }, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                HostingLog.WebhookPosted(logger, report.RunId, (int)response.StatusCode);
            }
            else
            {
                HostingLog.WebhookRejected(logger, report.RunId, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            HostingLog.NotifierFailed(logger, ex, nameof(WebhookCleanupNotifier), ex is OperationCanceledException ? $"no answer within {o.Timeout}" : ex.Message);
        }
    }

    /// <summary>The message: a summary line per status, then the outcome.</summary>
    internal static string Summarize(CleanupReport report)
    {
        var stats = report.Stats;
        var text = new StringBuilder();
        var icon = report.Succeeded ? ":white_check_mark:" : ":warning:";
        text.Append(icon).Append(report.DryRun ? " Job cleanup preview " : " Job cleanup ").Append(report.Outcome.ToString().ToLowerInvariant())
            .Append(" (run ").Append(report.RunId).Append(", trigger ").Append(report.Trigger).Append(')').AppendLine();
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
}
