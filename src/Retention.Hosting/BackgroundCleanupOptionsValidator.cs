using Microsoft.Extensions.Options;

namespace Retention.Hosting;

/// <summary>Validates <see cref="BackgroundCleanupOptions"/> once, at start, reporting every bad key together.</summary>
internal sealed class BackgroundCleanupOptionsValidator : IValidateOptions<BackgroundCleanupOptions>
{
    public ValidateOptionsResult Validate(string? name, BackgroundCleanupOptions options)
    {
        var errors = new List<string>(options.ConfigurationProblems);
        BackgroundCleanupSettings.Resolve(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
