using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Policies;
using Retention.Reaping;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Tests.DependencyInjection;

public sealed class AddJobCleanupTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static void ValidateOnStart(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Resolves_everything_from_a_real_container()
    {
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results"))).UseInMemoryStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        ValidateOnStart(provider);
        Assert.NotNull(provider.GetRequiredService<IJobCleaner>());
        Assert.NotNull(provider.GetRequiredService<IStaleJobReaper>());
        Assert.Equal([Path.Combine(_tree.Root, "results")], provider.GetRequiredService<ISafeDeleter>().Roots);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        var store = provider.GetRequiredService<InMemoryJobStore>();
        Assert.Same(store, provider.GetRequiredService<IJobStore>());
        Assert.Same(store, provider.GetRequiredService<IStaleJobStore>());
        Assert.Same(store, provider.GetRequiredService<IJobPurgeStore>());
    }

    [Fact]
    public void Called_twice_registers_nothing_twice()
    {
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results"))).UseInMemoryStore();
        var count = services.Count;
        services.AddJobCleanup().UseInMemoryStore();

        Assert.Equal(count + 1, services.Count); // only the second configure action
        Assert.Single(services, d => d.ServiceType == typeof(IJobCleaner));
        Assert.Single(services, d => d.ServiceType == typeof(IJobStore));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<JobCleanupOptions>));
    }

    [Fact]
    public void A_later_store_replaces_an_earlier_one()
    {
        var mine = new InMemoryJobStore();
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results"))).UseInMemoryStore().UseInMemoryStore(mine);
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IJobStore>());
    }

    [Fact]
    public void Binds_from_the_job_cleanup_section_and_code_overrides_configuration()
    {
        var json = $$"""
        {
          "JobCleanup": {
            "Roots": { "uploads": "{{_tree.Dir("uploads")}}", "results": "{{_tree.Dir("results")}}" },
            "BatchSize": 50,
            "MaxParallelDeletions": 2,
            "Rules": [
              { "Name": "ok", "Statuses": [ "completed" ], "ArtifactKinds": [ "input", "output" ], "Retention": "72h" },
              { "Name": "failed", "Statuses": [ "Failed", "Cancelled" ], "Retention": "6h", "Action": "PurgeRecord" }
            ],
            "StaleJobs": { "ExecutionTimeout": "00:05:00", "Statuses": [ "Running" ] }
          }
        }
        """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddJobCleanup(configuration.GetSection(JobCleanupOptions.SectionName), o => o.BatchSize = 25).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        ValidateOnStart(provider);
        var options = provider.GetRequiredService<IOptions<JobCleanupOptions>>().Value;
        Assert.Equal(25, options.BatchSize);
        Assert.Equal(2, options.MaxParallelDeletions);
        Assert.Equal(TimeSpan.FromMinutes(5), options.StaleJobs.ExecutionTimeout);
        var policy = JobCleanupSettings.Resolve(options).Policy;
        Assert.Equal(["ok", "failed"], policy.Rules.Select(r => r.Name));
        Assert.Equal([JobStatus.Succeeded], policy.Rules[0].Statuses);
        Assert.Equal(RetentionPeriod.After(TimeSpan.FromHours(72)), policy.Rules[0].Period);
        Assert.Equal(RetentionAction.PurgeRecord, policy.Rules[1].Action);
    }

    [Fact]
    public void Bad_options_fail_at_start_naming_every_key_and_value()
    {
        var services = new ServiceCollection();
        services.AddJobCleanup(o =>
        {
            o.AddRoot("results", _tree.Path_("missing"));
            o.AddRoot("everything", "/");
            o.BatchSize = 0;
            o.SucceededRetention = TimeSpan.Zero;
            o.FailedRetention = TimeSpan.FromHours(-1);
            o.StaleJobs.Statuses = ["Runing"];
        }).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        var message = string.Join("\n", error.Failures);
        Assert.Contains($"JobCleanup:Roots:results: '{_tree.Path_("missing")}' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:Roots:everything: '/' is a filesystem root", message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:BatchSize: must be at least 1 (was 0)", message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:SucceededRetention: must be positive (was 00:00:00)", message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:FailedRetention: must be positive (was -01:00:00)", message, StringComparison.Ordinal);
        Assert.Contains("JobCleanup:StaleJobs:Statuses: unknown status 'Runing'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Statuses", "[\"complete\", \"finished\"]", "JobCleanup:Rules:0:Statuses: unknown status 'finished'")]
    [InlineData("Statuses", "[\"running\"]", "JobCleanup:Rules:0:Statuses: 'running' is an active status")]
    [InlineData("Retention", "\"0h\"", "JobCleanup:Rules:0:Retention: '0h' is not a positive age")]
    [InlineData("Retention", "\"-3d\"", "JobCleanup:Rules:0:Retention: '-3d' is not a positive age")]
    public void Bad_rules_fail_at_start_naming_the_key_and_value(string key, string value, string expected)
    {
        var rule = new Dictionary<string, string> { ["Statuses"] = "[\"failed\"]", ["Retention"] = "\"12h\"" };
        rule[key] = value;
        var json = $$"""{ "JobCleanup": { "Roots": { "results": "{{_tree.Dir("results")}}" }, "Rules": [ { "Statuses": {{rule["Statuses"]}}, "Retention": {{rule["Retention"]}} } ] } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddJobCleanup(configuration.GetSection("JobCleanup")).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void No_roots_and_no_store_fail_at_start()
    {
        var services = new ServiceCollection();
        services.AddJobCleanup();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:Roots: no roots are configured", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("No job store is registered", StringComparison.Ordinal));
    }

    [Fact]
    public void A_purge_rule_with_a_store_that_cannot_purge_fails_at_start()
    {
        var cleanupOnly = new Moq.Mock<IJobStore>().Object;
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results")))
            .UsePolicy(RetentionPolicy.CreateBuilder().AddRule("purge", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.FromDays(1)).ThenPurgeRecord()).Build())
            .UseStore(_ => cleanupOnly);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Contains(error.Failures, f => f.Contains("does not implement IJobPurgeStore", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reaper_without_a_stale_job_store_says_what_is_missing()
    {
        var cleanupOnly = new Moq.Mock<IJobStore>().Object;
        var services = new ServiceCollection();
        services.AddJobCleanup(o => o.AddRoot("results", _tree.Dir("results"))).UseStore(_ => cleanupOnly);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<RetentionConfigurationException>(() => provider.GetRequiredService<IStaleJobReaper>());

        Assert.Contains("IStaleJobStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_store_with_a_type_that_is_no_store_is_refused()
    {
        var builder = new ServiceCollection().AddJobCleanup();

        Assert.Throws<ArgumentException>(() => builder.UseStore<object>());
    }

    [Fact]
    public async Task A_host_validates_options_before_it_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobCleanup(o => o.BatchSize = -1).UseInMemoryStore();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("JobCleanup:BatchSize: must be at least 1 (was -1)", StringComparison.Ordinal));
    }
}
