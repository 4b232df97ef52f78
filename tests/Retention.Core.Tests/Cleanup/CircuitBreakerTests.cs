using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

public sealed class CircuitBreakerTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    [Fact]
    public async Task A_run_stops_at_the_job_limit_records_what_it_finished_and_the_next_run_goes_on()
    {
        for (var i = 0; i < 12; i++)
        {
            _h.SeedJob($"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8));
        }

        _h.Build(configure: o => { o.CircuitBreaker.MaxJobsPerRun = 5; o.BatchSize = 4; o.MaxParallelDeletions = 1; });

        var first = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal(CleanupOutcome.LimitReached, first.Outcome);
        Assert.False(first.Succeeded);
        Assert.Contains("JobCleanup:CircuitBreaker:MaxJobsPerRun (5 jobs)", first.Error, StringComparison.Ordinal);
        Assert.Equal(5, first.Stats.JobsCleaned);
        Assert.Equal(7, Directory.EnumerateDirectories(_h.Results).Count());
        Assert.Equal(5, _h.Store.Jobs.Count(j => j.DataCleanedAt is not null));
        Assert.Contains(_h.Logs.Entries, e => e.Event.Name == "CircuitBreakerTripped");

        var second = await _h.Cleaner.RunAsync(CleanupRequest.Default);
        var third = await _h.Cleaner.RunAsync(CleanupRequest.Default);

        Assert.Equal((CleanupOutcome.LimitReached, 5L), (second.Outcome, second.Stats.JobsCleaned));
        Assert.Equal((CleanupOutcome.Completed, 2L), (third.Outcome, third.Stats.JobsCleaned));
        Assert.Empty(Directory.EnumerateDirectories(_h.Results));
    }

    [Fact]
    public async Task A_dry_run_previews_the_stop_and_deletes_nothing()
    {
        for (var i = 0; i < 6; i++)
        {
            _h.SeedJob($"job-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8), inputBytes: 0, outputBytes: 1000);
        }

        _h.Build(configure: o => { o.CircuitBreaker.MaxBytesPerRun = 2500; o.BatchSize = 2; o.MaxParallelDeletions = 1; });
        var before = _h.Snapshot();

        var preview = await _h.Cleaner.RunAsync(CleanupRequest.Preview);

        Assert.Equal(CleanupOutcome.LimitReached, preview.Outcome);
        Assert.Contains("MaxBytesPerRun", preview.Error, StringComparison.Ordinal);
        Assert.Equal(3, preview.Stats.JobsCleaned);
        Assert.Equal(before, _h.Snapshot());
    }

    [Fact]
    public void Limits_below_one_are_refused_at_start_naming_the_key()
    {
        _h.Build(configure: o => { o.CircuitBreaker.MaxJobsPerRun = 0; o.CircuitBreaker.MaxBytesPerRun = -1; });

        var error = Assert.Throws<OptionsValidationException>(() => _h.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:CircuitBreaker:MaxJobsPerRun: must be at least 1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("JobCleanup:CircuitBreaker:MaxBytesPerRun: must be at least 1 byte", StringComparison.Ordinal));
    }

    public void Dispose() => _h.Dispose();
}
