using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Retention.Cli.Tests;

/// <summary>
/// The config file's notifications section, against a real HTTP listener and a real SMTP server on 127.0.0.1: what
/// arrives is what is checked.
/// </summary>
public sealed class NotificationTests : IDisposable
{
    private readonly Installation _site = new();

    public NotificationTests()
    {
        _site.Job("job-old", "completed", TimeSpan.FromDays(8)); // 250 + 1000 bytes, due
        _site.Job("job-new", "completed", TimeSpan.FromDays(1)); // kept
    }

    public void Dispose() => _site.Dispose();

    private string Config(string notifications)
    {
        var path = Path.Combine(_site.Root, "cleanup_config.yaml");
        File.WriteAllText(path, "notifications:\n" + notifications);
        return path;
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static JsonElement Json(string posted)
    {
        var parts = posted.Split('\n', 2);
        Assert.StartsWith("application/json", parts[0], StringComparison.Ordinal);
        return JsonDocument.Parse(parts[1]).RootElement.Clone();
    }

    private static Dictionary<string, string?> Fields(JsonElement message) =>
        message.GetProperty("attachments")[0].GetProperty("fields").EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());

    [Fact]
    public async Task a_clean_run_posts_the_slack_message_with_jobs_cleaned_space_freed_and_status()
    {
        using var webhook = new LocalWebhook();
        var config = Config($"  slack:\n    enabled: true\n    webhook_url: {webhook.Url}\n");

        var (exit, _, error) = await _site.Run("clean", "--config", config);

        Assert.Equal((0, string.Empty), (exit, error));
        var message = Json(await webhook.NextBodyAsync());
        Assert.StartsWith(":white_check_mark: Job cleanup completed (run ", message.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("good", message.GetProperty("attachments")[0].GetProperty("color").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["Jobs Cleaned"] = "1", ["Space Freed"] = ByteSize.Format(1250), ["Status"] = "Success" }, Fields(message));
        Assert.All(message.GetProperty("attachments")[0].GetProperty("fields").EnumerateArray(), f => Assert.True(f.GetProperty("short").GetBoolean()));
        Assert.Contains("• 1 succeeded: ", message.GetProperty("attachments")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(webhook.HasBody);
    }

    [Fact]
    public async Task a_dry_run_notifies_only_when_the_file_says_so()
    {
        using var webhook = new LocalWebhook();
        var quiet = await _site.Run("clean", "--dry-run", "--config", Config($"  slack:\n    enabled: true\n    webhook_url: {webhook.Url}\n"));
        var quietPosted = webhook.HasBody;
        var told = await _site.Run("clean", "--dry-run", "--config", Config($"  include_dry_runs: true\n  slack:\n    enabled: true\n    webhook_url: {webhook.Url}\n"));

        Assert.Equal((0, 0), (quiet.Exit, told.Exit));
        Assert.False(quietPosted);
        var message = Json(await webhook.NextBodyAsync());
        Assert.Equal("Preview", Fields(message)["Status"]);
        Assert.True(_site.Exists("results/job-old"));
    }

    [Fact]
    public async Task a_slack_channel_that_is_off_posts_nothing()
    {
        using var webhook = new LocalWebhook();

        var (exit, _, _) = await _site.Run("clean", "--config", Config($"  slack:\n    enabled: false\n    webhook_url: {webhook.Url}\n"));

        Assert.Equal(0, exit);
        Assert.False(webhook.HasBody);
        Assert.False(_site.Exists("results/job-old"));
    }

    [Fact]
    public async Task a_webhook_that_fails_is_a_warning_and_the_cleanup_still_succeeds()
    {
        using var webhook = new LocalWebhook(HttpStatusCode.InternalServerError);
        var refused = await _site.Run("clean", "--config", Config($"  slack:\n    enabled: true\n    webhook_url: {webhook.Url}\n"));
        await webhook.NextBodyAsync();
        _site.Job("job-old-2", "completed", TimeSpan.FromDays(9));
        var unreachable = await _site.Run("clean", "--config", Config($"  slack:\n    enabled: true\n    webhook_url: http://127.0.0.1:{ClosedPort()}/hook\n"));

        Assert.Equal((0, 0), (refused.Exit, unreachable.Exit));
        Assert.Equal("warning: notifications.slack: the webhook at 127.0.0.1 answered 500 (Internal Server Error); the cleanup itself is done.", refused.Error.Trim());
        Assert.StartsWith("warning: notifications.slack: could not post to the webhook at 127.0.0.1 (", unreachable.Error, StringComparison.Ordinal);
        Assert.Contains("Cleanup completed successfully", refused.Out, StringComparison.Ordinal);
        Assert.False(_site.Exists("results/job-old"));
        Assert.False(_site.Exists("results/job-old-2"));
    }

    [Fact]
    public async Task an_email_summary_goes_to_every_recipient_through_the_smtp_server()
    {
        using var smtp = new LocalSmtpServer();
        var config = Config($"""
              email:
                enabled: true
                smtp_server: 127.0.0.1
                port: {smtp.Port}
                from: cleanup@example.com
                recipients:
                  - admin@example.com
                  - ops@example.com

            """);

        var (exit, _, error) = await _site.Run("clean", "--config", config);

        Assert.Equal((0, string.Empty), (exit, error));
        var mail = await smtp.NextMessageAsync();
        Assert.Equal("cleanup@example.com", mail.From);
        Assert.Equal(["admin@example.com", "ops@example.com"], mail.Recipients);
        var text = MailText.Decode(mail.Data);
        Assert.Contains($"Subject: Job cleanup report: Success, 1 job(s), {ByteSize.Format(1250)} freed", text, StringComparison.Ordinal);
        Assert.Contains("Jobs Cleaned: 1", text, StringComparison.Ordinal);
        Assert.Contains($"Space Freed: {ByteSize.Format(1250)}", text, StringComparison.Ordinal);
        Assert.Contains("Status: Success", text, StringComparison.Ordinal);
        Assert.Contains("• 1 succeeded: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_smtp_server_that_cannot_be_reached_is_a_warning_and_the_cleanup_still_succeeds()
    {
        var port = ClosedPort();
        var config = Config($"  email:\n    enabled: true\n    smtp_server: 127.0.0.1\n    port: {port}\n    recipients: [admin@example.com]\n");

        var (exit, output, error) = await _site.Run("clean", "--config", config);

        Assert.Equal(0, exit);
        Assert.StartsWith($"warning: notifications.email: could not send through 127.0.0.1:{port} (", error, StringComparison.Ordinal);
        Assert.Contains("Cleanup completed successfully", output, StringComparison.Ordinal);
        Assert.False(_site.Exists("results/job-old"));
    }

    [Theory]
    [InlineData("  slack:\n    enabled: true\n", "notifications.slack.webhook_url: required when notifications.slack.enabled is true")]
    [InlineData("  slack:\n    enabled: true\n    webhok_url: http://127.0.0.1/x\n", "notifications.slack.webhok_url: unknown key; did you mean 'webhook_url'?")]
    [InlineData("  slack:\n    enabled: true\n    webhook_url: hooks/x\n", "notifications.slack.webhook_url: 'hooks/x' is not an absolute http or https URL")]
    [InlineData("  emial:\n    enabled: true\n", "notifications.emial: unknown key; did you mean 'email'?")]
    [InlineData("  email:\n    enabled: true\n    smtp_server: 127.0.0.1\n", "notifications.email.recipients: at least one address is required")]
    [InlineData("  email:\n    enabled: true\n    recipients: [admin@example.com]\n", "notifications.email.smtp_server: required when notifications.email.enabled is true")]
    [InlineData("  email:\n    enabled: true\n    smtp_server: 127.0.0.1\n    recipients: [admin]\n", "notifications.email.recipients: 'admin' is not an e-mail address")]
    [InlineData("  email:\n    enabled: true\n    smtp_server: 127.0.0.1\n    port: 70000\n    recipients: [a@example.com]\n", "notifications.email.port: must be between 1 and 65535 (was 70000)")]
    public async Task a_bad_notifications_section_exits_2_before_anything_is_cleaned(string notifications, string expected)
    {
        var before = _site.Snapshot();

        var (exit, output, error) = await _site.Run("clean", "--config", Config(notifications));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"error: --config: cleanup_config.yaml: {expected}", error, StringComparison.Ordinal);
        var after = _site.Snapshot();
        after.Remove(Path.Combine(_site.Root, "cleanup_config.yaml"));
        before.Remove(Path.Combine(_site.Root, "cleanup_config.yaml"));
        Installation.AssertSame(before, after);
    }
}
