using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Policies;
using Retention.Stores;

namespace Retention;

/// <summary>Validates <see cref="JobCleanupOptions"/> once, at start, reporting every bad key and value together.</summary>
internal sealed class JobCleanupOptionsValidator : IValidateOptions<JobCleanupOptions>
{
    private readonly IServiceProviderIsService? _services;

    public JobCleanupOptionsValidator(IServiceProviderIsService? services = null) => _services = services;

    public ValidateOptionsResult Validate(string? name, JobCleanupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.ConfigurationProblems);
        var settings = JobCleanupSettings.Resolve(options, errors);
        if (_services is not null)
        {
            // A host may use only part of the library (the reaper alone, say); what it resolves without a store says so then.
            if (!_services.IsService(typeof(IJobStore)) && !_services.IsService(typeof(IStaleJobStore)))
            {
                errors.Add("No job store is registered: call UseInMemoryStore() or UseStore<TStore>() on the builder that AddJobCleanup() returns.");
            }
            else if (settings.Policy.Rules.Any(r => r.Action == RetentionAction.PurgeRecord) && !_services.IsService(typeof(IJobPurgeStore)))
            {
                errors.Add($"{JobCleanupOptions.SectionName}:Rules: a rule purges records, but the registered store does not implement {nameof(IJobPurgeStore)}; use Action DeleteArtifacts or a store that can purge.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
