using System.CommandLine;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Retention.Cleanup;
using Retention.Cli.Settings;

namespace Retention.Cli.Notifications;

/// <summary>
/// The config file's <c>notifications</c> section for <c>retention clean</c>: a Slack message to an incoming webhook and
/// an e-mail through an SMTP server, each sent after the run (not after dry runs unless <c>include_dry_runs</c>).
/// Checked before the run, so a mistake is exit 2 with nothing changed; a notification that fails after the run is a
/// warning on standard error and never changes the run's exit code.
/// </summary>
internal sealed class CleanupNotifications
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private CleanupNotifications(bool includeDryRuns, Uri? slack, EmailTarget? email)
    {
        IncludeDryRuns = includeDryRuns;
        Slack = slack;
        Email = email;
    }

    public static CleanupNotifications None { get; } = new(false, null, null);

    public bool IncludeDryRuns { get; }

    /// <summary>The webhook to post to, when Slack notifications are on.</summary>
    public Uri? Slack { get; }

    /// <summary>Where to send the e-mail, when e-mail notifications are on.</summary>
    public EmailTarget? Email { get; }

    /// <summary>An SMTP server, the sender and the recipients.</summary>
    public sealed record EmailTarget(string Server, int Port, MailAddress From, IReadOnlyList<MailAddress> Recipients);

    /// <summary>Reads and checks the section of the <c>--config</c> file, if one is given; every problem is reported at once.</summary>
    public static CleanupNotifications Read(ParseResult parse, CommonOptions options, CliContext context)
    {
        var configPath = parse.GetValue(options.Config);
        if (configPath is null || ConfigFile.Load(context.FullPath(configPath)).Notifications is not { } section)
        {
            return None;
        }

        var prefix = $"--config: {Path.GetFileName(configPath)}: notifications";
        var problems = new List<string>();
        Unknown(problems, prefix, section.Unknown, "include_dry_runs", "slack", "email");
        Unknown(problems, prefix + ".slack", section.Slack?.Unknown, "enabled", "webhook_url");
        Unknown(problems, prefix + ".email", section.Email?.Unknown, "enabled", "smtp_server", "port", "from", "recipients");

        Uri? slack = null;
        if (section.Slack is { Enabled: true } s)
        {
            if (string.IsNullOrWhiteSpace(s.WebhookUrl))
            {
                problems.Add($"{prefix}.slack.webhook_url: required when notifications.slack.enabled is true.");
            }
            else if (!Uri.TryCreate(s.WebhookUrl.Trim(), UriKind.Absolute, out slack) || slack.Scheme is not ("http" or "https"))
            {
                problems.Add($"{prefix}.slack.webhook_url: '{s.WebhookUrl}' is not an absolute http or https URL.");
            }
        }

        EmailTarget? email = null;
        if (section.Email is { Enabled: true } e)
        {
            email = ReadEmail(e, prefix + ".email", problems);
        }

        return problems.Count == 0
            ? new CleanupNotifications(section.IncludeDryRuns ?? false, slack, email)
            : throw new UsageException(string.Join(Environment.NewLine + "error: ", problems));
    }

    private static EmailTarget? ReadEmail(ConfigFile.EmailSection e, string prefix, List<string> problems)
    {
        var count = problems.Count;
        var server = e.SmtpServer?.Trim();
        if (string.IsNullOrEmpty(server))
        {
            problems.Add($"{prefix}.smtp_server: required when notifications.email.enabled is true.");
        }
        else if (Uri.CheckHostName(server) == UriHostNameType.Unknown)
        {
            problems.Add($"{prefix}.smtp_server: '{server}' is not a host name or address.");
        }

        var port = e.Port ?? 25;
        if (port is < 1 or > 65535)
        {
            problems.Add($"{prefix}.port: must be between 1 and 65535 (was {port}).");
        }

        var from = Address(e.From ?? "retention@localhost", prefix + ".from", problems);
        var recipients = (e.Recipients ?? []).Select(r => Address(r, prefix + ".recipients", problems)).OfType<MailAddress>().ToList();
        if (e.Recipients is not { Count: > 0 })
        {
            problems.Add($"{prefix}.recipients: at least one address is required when notifications.email.enabled is true.");
        }

        return problems.Count == count ? new EmailTarget(server!, port, from!, recipients) : null;
    }

    private static MailAddress? Address(string? text, string key, List<string> problems)
    {
        if (MailAddress.TryCreate(text?.Trim(), out var address))
        {
            return address;
        }

        problems.Add($"{key}: '{text}' is not an e-mail address.");
        return null;
    }

    private static void Unknown(List<string> problems, string at, Dictionary<string, JsonElement>? unknown, params string[] known)
    {
        foreach (var key in unknown?.Keys ?? Enumerable.Empty<string>())
        {
            problems.Add(NearestName.Find(key, known) is { } nearest
                ? $"{at}.{key}: unknown key; did you mean '{nearest}'?"
                : $"{at}.{key}: unknown key (known here: {string.Join(", ", known)})");
        }
    }

    /// <summary>Sends the run's summary to each channel that is on. Failures are warnings on standard error.</summary>
    public async Task SendAsync(CleanupReport report, CliContext context, CancellationToken cancellationToken)
    {
        if ((Slack is null && Email is null) || (report.DryRun && !IncludeDryRuns))
        {
            return;
        }

        if (Slack is not null)
        {
            await PostToSlackAsync(report, context, cancellationToken).ConfigureAwait(false);
        }

        if (Email is not null)
        {
            await SendEmailAsync(report, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PostToSlackAsync(CleanupReport report, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new HttpClient { Timeout = Timeout };
            using var body = new StringContent(CleanupSummary.SlackMessage(report).ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(Slack, body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await Warn(context, $"notifications.slack: the webhook at {Slack!.Host} answered {(int)response.StatusCode} ({response.ReasonPhrase}); the cleanup itself is done.").ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message;
            await Warn(context, $"notifications.slack: could not post to the webhook at {Slack!.Host} ({why}); the cleanup itself is done.").ConfigureAwait(false);
        }
    }

    private async Task SendEmailAsync(CleanupReport report, CliContext context, CancellationToken cancellationToken)
    {
        var target = Email!;
        try
        {
            using var message = new MailMessage { From = target.From, Subject = Subject(report), Body = Body(report), BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8 };
            foreach (var recipient in target.Recipients)
            {
                message.To.Add(recipient);
            }

            using var smtp = new SmtpClient(target.Server, target.Port) { DeliveryMethod = SmtpDeliveryMethod.Network, Timeout = (int)Timeout.TotalMilliseconds };
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Timeout);
            await smtp.SendMailAsync(message, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SmtpException or IOException or System.Net.Sockets.SocketException or InvalidOperationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : (ex.InnerException ?? ex).Message;
            await Warn(context, $"notifications.email: could not send through {target.Server}:{target.Port} ({why}); the cleanup itself is done.").ConfigureAwait(false);
        }
    }

    private static string Subject(CleanupReport report) =>
        $"Job cleanup report: {CleanupSummary.Status(report)}, {report.Stats.JobsCleaned} job(s), {ByteSize.Format(report.Stats.BytesFreed)} {(report.DryRun ? "to free" : "freed")}";

    private static string Body(CleanupReport report) => $"""
        Job Cleanup Report
        ==================
        Jobs Cleaned: {report.Stats.JobsCleaned}
        Space Freed: {ByteSize.Format(report.Stats.BytesFreed)}
        Status: {CleanupSummary.Status(report)}

        {CleanupSummary.Text(report)}

        """;

    // Standard output may be buffered: flushed first, so a log that takes both keeps the order.
    private static async Task Warn(CliContext context, string message)
    {
        await context.Out.FlushAsync().ConfigureAwait(false);
        await context.Error.WriteLineAsync("warning: " + message).ConfigureAwait(false);
    }
}
