using Retention.Cli.Settings;

namespace Retention.Cli.Tests;

/// <summary>The seed's cleanup_config.yaml and its JSON twin are read by one generated reader.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retention-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_seeds_yaml_and_the_same_in_json_read_the_same_values()
    {
        var yaml = Load("cleanup_config.yaml", """
            # the seed's file, with a section we do not use
            retention:
              successful_jobs:
                hours: 168
                keep_metadata: true
              failed_jobs:
                hours: "0.5"
            paths:
              database: /var/lib/app/jobs.db
              uploads: ~
              results: '/data/results'
            performance:
              batch_size: 250
              parallel_delete: true
              max_workers: 3
            schedule:
              enabled: FALSE
              cron: 0 2 * * *
            notifications:
              email: { enabled: false, recipients: [ops@example.com] }
            """);
        var json = Load("cleanup_config.json", """
            {
              // comments are allowed
              "retention": { "successful_jobs": { "hours": 168 }, "failed_jobs": { "hours": "0.5" } },
              "paths": { "database": "/var/lib/app/jobs.db", "uploads": null, "results": "/data/results" },
              "performance": { "batch_size": 250, "parallel_delete": true, "max_workers": 3 },
              "schedule": { "enabled": false, "cron": "0 2 * * *" }
            }
            """);

        foreach (var file in new[] { yaml, json })
        {
            Assert.Equal(168, file.Retention?.SuccessfulJobs?.Hours);
            Assert.Equal(0.5, file.Retention?.FailedJobs?.Hours);
            Assert.Equal("/var/lib/app/jobs.db", file.Paths?.Database);
            Assert.Null(file.Paths?.Uploads);
            Assert.Equal("/data/results", file.Paths?.Results);
            Assert.Equal(250, file.Performance?.BatchSize);
            Assert.True(file.Performance?.ParallelDelete);
            Assert.Equal(3, file.Performance?.MaxWorkers);
            Assert.False(file.Schedule?.Enabled);
            Assert.Equal("0 2 * * *", file.Schedule?.Cron);
        }
    }

    [Fact]
    public void An_empty_file_reads_as_no_settings()
    {
        var file = Load("empty.yaml", "# nothing here\n");

        Assert.Null(file.Retention);
        Assert.Null(file.Paths);
    }

    [Theory]
    [InlineData("wrong.yaml", "retention:\n  successful_jobs:\n    hours: a week\n", "$.retention.successful_jobs.hours")]
    [InlineData("wrong.json", """{ "performance": { "batch_size": [1] } }""", "$.performance.batch_size")]
    [InlineData("torn.yaml", "retention:\n  successful_jobs:\n    hours: [not, a, number\n", "line ")]
    public void A_value_of_the_wrong_shape_is_a_usage_error_naming_the_file_and_where(string name, string text, string where)
    {
        var error = Assert.Throws<UsageException>(() => Load(name, text));

        Assert.Contains($"--config: '{Path.Combine(_dir, name)}' is not a valid cleanup configuration", error.Message, StringComparison.Ordinal);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_scripts_whole_file_is_accepted_as_it_is()
    {
        var file = Load("cleanup_config.yaml", """
            retention:
              successful_jobs: { hours: 168, keep_metadata: true, keep_logs: false }
              failed_jobs: { hours: 12, keep_metadata: true, keep_error_logs: true }
            schedule: { enabled: true, cron: "0 2 * * *" }
            paths: { database: ./jobs.db, uploads: ./uploads, results: ./results, logs: ./logs }
            performance: { batch_size: 100, parallel_delete: true, max_workers: 4 }
            notifications:
              email: { enabled: false, smtp_server: smtp.gmail.com, recipients: [admin@example.com] }
              slack: { enabled: false, webhook_url: https://hooks.slack.com/services/YOUR/WEBHOOK/URL }
            """);

        Assert.Equal(168, file.Retention?.SuccessfulJobs?.Hours);
    }

    [Theory]
    [InlineData("cleanup_config.yaml", "retention:\n  successfull_jobs:\n    hours: 24\n  failed_job:\n    hours: 1\n")]
    [InlineData("cleanup_config.json", "{ \"retention\": { \"successfull_jobs\": { \"hours\": 24 }, \"failed_job\": { \"hours\": 1 } } }")]
    public void A_misspelt_key_is_an_error_naming_each_with_the_nearest_known_key(string name, string text)
    {
        var error = Assert.Throws<UsageException>(() => Load(name, text));

        Assert.Contains($"--config: {name}: retention.successfull_jobs: unknown key; did you mean 'successful_jobs'?", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--config: {name}: retention.failed_job: unknown key; did you mean 'failed_jobs'?", error.Message, StringComparison.Ordinal);
    }

    private ConfigFile Load(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return ConfigFile.Load(path);
    }
}
