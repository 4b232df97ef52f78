using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Deletion;

namespace Retention.Tests.Quarantine;

public sealed class QuarantineOptionsTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static void ValidateOnStart(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    private ServiceProvider FromJson(string quarantine)
    {
        var json = $$"""{ "JobCleanup": { "Roots": { "results": "{{_tree.Dir("results")}}" }, "Quarantine": {{quarantine}} } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddJobCleanup(configuration.GetSection(JobCleanupOptions.SectionName)).UseInMemoryStore();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_are_off_a_week_and_a_dot_folder()
    {
        var options = new JobCleanupOptions().Quarantine;

        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromDays(7), options.GracePeriod);
        Assert.Equal(".retention-quarantine", options.FolderName);
    }

    [Fact]
    public async Task Binds_from_the_quarantine_section_and_the_deleter_keeps_out_of_the_named_folder()
    {
        using var provider = FromJson("""{ "Enabled": true, "GracePeriod": "2.00:00:00", "FolderName": ".trash" }""");

        ValidateOnStart(provider);
        var options = provider.GetRequiredService<IOptions<JobCleanupOptions>>().Value.Quarantine;
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromDays(2), options.GracePeriod);
        Assert.Equal(".trash", options.FolderName);
        var inside = _tree.File("results/.trash/job-a/x.bin", 5);
        var result = await provider.GetRequiredService<ISafeDeleter>().DeleteAsync(inside);
        Assert.Equal(DeletionOutcome.Refused, result.Outcome);
        Assert.True(File.Exists(inside));
    }

    [Theory]
    [InlineData("\"00:00:00\"", "JobCleanup:Quarantine:GracePeriod: must be positive (was 00:00:00)")]
    [InlineData("\"-1.00:00:00\"", "JobCleanup:Quarantine:GracePeriod: must be positive (was -1.00:00:00)")]
    public void A_bad_grace_period_fails_at_start_naming_the_key(string value, string expected)
    {
        using var provider = FromJson($$"""{ "GracePeriod": {{value}} }""");

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "JobCleanup:Quarantine:FolderName: must be a directory name, not empty")]
    [InlineData(".", "JobCleanup:Quarantine:FolderName: '.' is not a directory name")]
    [InlineData("..", "JobCleanup:Quarantine:FolderName: '..' is not a directory name")]
    [InlineData("quarantine/old", "JobCleanup:Quarantine:FolderName: 'quarantine/old' must be a single directory name")]
    [InlineData("quarantine\\old", "JobCleanup:Quarantine:FolderName: 'quarantine\\old' must be a single directory name")]
    [InlineData("/tmp/q", "JobCleanup:Quarantine:FolderName: '/tmp/q' must be a single directory name")]
    public void A_bad_folder_name_fails_at_start_naming_the_key(string name, string expected)
    {
        var services = new ServiceCollection();
        services.AddJobCleanup(o =>
        {
            o.AddRoot("results", _tree.Dir("results"));
            o.Quarantine.FolderName = name;
        }).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }
}
