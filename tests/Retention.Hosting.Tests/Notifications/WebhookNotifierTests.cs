using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Notifications;

public sealed class WebhookNotifierTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Posts_a_slack_compatible_summary_after_a_run()
    {
        using var webhook = new LocalWebhook();
        _h.SeedJob("ok-1", JobStatus.Succeeded, TimeSpan.FromDays(8), bytes: 4096);
        _h.SeedJob("bad-1", JobStatus.Failed, TimeSpan.FromDays(1), bytes: 4096);
        var host = _h.Build(o => o.RunOnStart = true, more: b => b.AddWebhookNotifier(w => w.Url = webhook.Url));
        await host.StartAsync();
        await _h.Runs.NextAsync();

        var posted = (await webhook.NextBodyAsync()).Split('\n', 2);
        Assert.StartsWith("application/json", posted[0], StringComparison.Ordinal);
        var text = JsonDocument.Parse(posted[1]).RootElement.GetProperty("text").GetString()!;
        Assert.Contains("Job cleanup completed", text, StringComparison.Ordinal);
        Assert.Contains("Cleaned 2 job(s), freed 10.0 KB", text, StringComparison.Ordinal);
        Assert.Contains("• 1 succeeded: 5.0 KB", text, StringComparison.Ordinal);
        Assert.Contains("• 1 failed: 5.0 KB", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_webhook_is_logged_and_never_fails_the_run()
    {
        using var webhook = new LocalWebhook(HttpStatusCode.InternalServerError);
        _h.SeedJob("ok-1", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var host = _h.Build(o => o.RunOnStart = true, more: b => b.AddWebhookNotifier(w => w.Url = webhook.Url));
        await host.StartAsync();

        var report = await _h.Runs.NextAsync();
        await webhook.NextBodyAsync();
        Assert.True(report.Succeeded);
        Assert.NotNull(_h.Store.Find("ok-1")!.DataCleanedAt);
        await _h.Logs.WaitForAsync("The webhook answered 500");

        // Nobody listening at all: the post fails to connect, is logged, and the engine's run stands.
        var cleaner = host.Services.GetRequiredService<IJobCleaner>();
        webhook.Dispose();
        var second = await cleaner.RunAsync(CleanupRequest.Default);
        Assert.Equal(CleanupOutcome.Completed, second.Outcome);
        await _h.Logs.WaitForAsync("Cleanup notifier WebhookCleanupNotifier failed");
    }

    [Fact]
    public async Task Only_on_failure_skips_good_runs()
    {
        using var webhook = new LocalWebhook();
        var host = _h.Build(o => o.RunOnStart = true, more: b => b.AddWebhookNotifier(w => { w.Url = webhook.Url; w.OnlyOnFailure = true; }));
        await host.StartAsync();
        await _h.Runs.NextAsync();
        await host.Services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);
        Assert.False(webhook.HasBody);
    }

    [Fact]
    public async Task A_relative_url_fails_the_start_naming_the_key()
    {
        var host = _h.Build(more: b => b.AddWebhookNotifier(w => w.Url = new Uri("/hooks", UriKind.Relative)));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("JobCleanup:Background:Webhook:Url must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
