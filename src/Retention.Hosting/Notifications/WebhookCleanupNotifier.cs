using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Cleanup.Outlook;
using Retention.Hosting.Diagnostics;

namespace Retention.Hosting.Notifications;

/// <summary>
/// Posts a Slack-compatible summary (<c>{"text": "..."}</c>) of each run to a webhook, through <see cref="IHttpClientFactory"/>.
/// A failed or slow post is logged and never fails the run. With the outlook's notice on, it posts the notice too.
/// </summary>
internal sealed class WebhookCleanupNotifier(IHttpClientFactory clients, IOptions<WebhookNotifierOptions> options, TimeProvider time, ILogger<WebhookCleanupNotifier> logger) : ICleanupNotifier, IDeletionNoticeNotifier
{
    public ValueTask NotifyUpcomingAsync(RetentionOutlook outlook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outlook);
        return PostAsync(DeletionNoticeText.Text(outlook), "the deletion notice", cancellationToken);
    }

    public async ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = options.Value;
        if ((report.DryRun && !o.IncludeDryRuns) || (o.OnlyOnFailure && report.Succeeded))
        {
            return;
        }

        await PostAsync(CleanupSummary.Text(report), $"the run summary of {report.RunId}", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PostAsync(string text, string what, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var limit = new CancellationTokenSource(o.Timeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            var client = clients.CreateClient(WebhookNotifierOptions.HttpClientName);
            using var response = await client.PostAsJsonAsync(o.Url, new { text }, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                HostingLog.WebhookPosted(logger, what, (int)response.StatusCode);
            }
            else
            {
                HostingLog.WebhookRejected(logger, what, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            HostingLog.NotifierFailed(logger, ex, nameof(WebhookCleanupNotifier), ex is OperationCanceledException ? $"no answer within {o.Timeout}" : ex.Message);
        }
    }
}
