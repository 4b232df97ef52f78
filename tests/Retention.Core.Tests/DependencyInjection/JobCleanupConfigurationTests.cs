using Microsoft.Extensions.Configuration;
using Retention.Configuration;
using Retention.Policies;
using Retention.Quarantine;

namespace Retention.Tests.DependencyInjection;

public sealed class JobCleanupConfigurationTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("JobCleanup");

    [Fact]
    public void Lists_dictionaries_and_nested_sections_bind_and_a_single_value_is_a_list_of_one()
    {
        var options = new JobCleanupOptions();
        var problems = JobCleanupConfiguration.Bind(Section(new()
        {
            ["JobCleanup:Roots:screenshots"] = "/data/screenshots",
            ["JobCleanup:Conventions:0:Root"] = "screenshots",
            ["JobCleanup:Conventions:0:Pattern"] = "{jobId}.png",
            ["JobCleanup:Rules:0:Statuses"] = "Failed",
            ["JobCleanup:Rules:0:Retention"] = "12h",
            ["JobCleanup:Rules:0:Action"] = "purgerecord",
            ["JobCleanup:Quarantine:Enabled"] = "on",
            ["JobCleanup:CircuitBreaker:MaxJobsPerRun"] = "", // blank is unset: no limit
            ["JobCleanup:Background:Enabled"] = "true", // read by Retention.Hosting, not here
        }), options, JobCleanupConfiguration.ReadElsewhere);

        Assert.Empty(problems);
        Assert.Equal("/data/screenshots", options.Roots["screenshots"]);
        Assert.Equal("{jobId}.png", Assert.Single(options.Conventions).Pattern);
        var rule = Assert.Single(options.Rules);
        Assert.Equal(["Failed"], rule.Statuses);
        Assert.Equal(RetentionAction.PurgeRecord, rule.Action);
        Assert.True(options.Quarantine.Enabled);
        Assert.Null(options.CircuitBreaker.MaxJobsPerRun);
    }

    [Fact]
    public void Every_problem_is_named_by_its_key_and_a_bad_value_leaves_the_default()
    {
        var options = new JobCleanupOptions();
        var problems = JobCleanupConfiguration.Bind(Section(new()
        {
            ["JobCleanup:Quarantine:Enabled"] = "maybe",
            ["JobCleanup:Quarantine:GracePeriod"] = "3 days",
            ["JobCleanup:Policy"] = "strict",
            ["JobCleanup:Rules:first:Retention"] = "12h",
            ["JobCleanup:CircuitBreaker"] = "10",
            ["JobCleanup:MaxParalelDeletions"] = "8",
            ["JobCleanup:Sqlite:DatabasePath"] = "jobs.db",
            ["JobCleanup:Roots"] = "/data",
        }), options);

        Assert.Contains("JobCleanup:Quarantine:Enabled: 'maybe' is not true or false", problems);
        Assert.Contains(problems, p => p.StartsWith("JobCleanup:Quarantine:GracePeriod: '3 days' is not a duration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("JobCleanup:Policy: unknown key (known keys: Roots, BasePath,", StringComparison.Ordinal));
        Assert.Contains("JobCleanup:Rules:first: a list takes items numbered 0, 1, 2, ..., not 'first'", problems);
        Assert.Contains("JobCleanup:CircuitBreaker: is a section with its own keys, not one value", problems);
        Assert.Contains("JobCleanup:MaxParalelDeletions: unknown key; did you mean 'MaxParallelDeletions'?", problems);
        Assert.Contains(problems, p => p.StartsWith("JobCleanup:Sqlite: unknown key", StringComparison.Ordinal)); // not read elsewhere here
        Assert.Contains("JobCleanup:Roots: is a section of named entries (JobCleanup:Roots:name = ...), not one value", problems);
        Assert.False(options.Quarantine.Enabled);
        Assert.Equal(new QuarantineOptions().GracePeriod, options.Quarantine.GracePeriod);
    }

    [Fact]
    public void Empty_values_on_parent_keys_as_a_flattened_configuration_has_them_are_not_problems()
    {
        // What "--key=value" arguments built from a configuration hold (ASP.NET Core's test host's UseSetting does it).
        var options = new JobCleanupOptions();
        var problems = JobCleanupConfiguration.Bind(Section(new()
        {
            ["JobCleanup:CircuitBreaker"] = string.Empty,
            ["JobCleanup:CircuitBreaker:MaxShareOfStoredJobs"] = "0.5",
        }), options);

        Assert.Empty(problems);
        Assert.Equal(0.5, options.CircuitBreaker.MaxShareOfStoredJobs);
    }
}
