using Microsoft.Extensions.Options;

namespace Retention.Hosting;

/// <summary>Validates <see cref="WebhookNotifierOptions"/> at start.</summary>
internal sealed class WebhookNotifierOptionsValidator : IValidateOptions<WebhookNotifierOptions>
{
    private const string Key = "JobCleanup:Background:Webhook";
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, WebhookNotifierOptions options)
    {
        var errors = new List<string>(options.ConfigurationProblems);
        if (options.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{Key}:Url must be an absolute http or https URL; it is '{options.Url}'.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            errors.Add($"{Key}:Timeout must be positive and at most {MaxTimeout}; it is {options.Timeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
