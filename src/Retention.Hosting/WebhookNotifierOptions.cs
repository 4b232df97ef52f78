namespace Retention.Hosting;

/// <summary>The webhook notifier (section <c>JobCleanup:Background:Webhook</c>): a Slack-compatible summary posted after runs.</summary>
public sealed class WebhookNotifierOptions
{
    /// <summary>The named <see cref="System.Net.Http.HttpClient"/> the notifier uses; configure it with <c>AddHttpClient(WebhookNotifierOptions.HttpClientName)</c>.</summary>
    public const string HttpClientName = "Retention.Webhook";

    /// <summary>The absolute http or https URL to post to (a Slack incoming webhook, say). Required.</summary>
    public Uri? Url { get; set; }

    /// <summary>Posts only when a run failed or left jobs uncleaned. Default: false.</summary>
    public bool OnlyOnFailure { get; set; }

    /// <summary>Posts after dry runs too. Default: false.</summary>
    public bool IncludeDryRuns { get; set; }

    /// <summary>How long one post may take. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What reading the configuration found wrong, reported with the validation's own errors at start.</summary>
    internal List<string> ConfigurationProblems { get; } = [];
}
