using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Retention.Cleanup;
using Retention.Deletion;
using Retention.Hosting.Scheduling;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Scheduling;

public sealed class GracefulStopInDeletionTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task A_stop_that_arrives_while_a_job_is_being_deleted_lets_that_job_finish_and_record_itself()
    {
        for (var i = 0; i < 6; i++)
        {
            _h.SeedJob($"job-{i:00}", JobStatus.Succeeded, TimeSpan.FromDays(20 - i)); // oldest first: job-00 .. job-05
        }

        var deleter = new BlockingDeleter(new SafeDeleter([_h.Uploads, _h.Results]), blockOn: "job-02");
        var host = _h.Build(o => o.RunOnStart = true, services: s => s.AddSingleton<ISafeDeleter>(deleter), more: b => b.Configure(o => { o.BatchSize = 10; o.MaxParallelDeletions = 1; }));
        await host.StartAsync();
        await deleter.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        // The scheduler's stop cancels the run's token before it returns its task: job-02 is mid-deletion when it does.
        var scheduler = host.Services.GetServices<IHostedService>().OfType<ScheduledCleanupService>().Single();
        var stopping = scheduler.StopAsync(CancellationToken.None);
        deleter.Release();
        await stopping;
        var report = await _h.Runs.NextAsync();

        Assert.Equal(CleanupOutcome.Cancelled, report.Outcome);
        Assert.Equal(["job-00", "job-01", "job-02"], _h.Store.Jobs.Where(j => j.DataCleanedAt is not null).Select(j => j.Id));
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-02")));
        Assert.False(File.Exists(Path.Combine(_h.Uploads, "job-02_dem.tif")));
        for (var i = 3; i < 6; i++)
        {
            Assert.True(Directory.Exists(Path.Combine(_h.Results, $"job-{i:00}")));
            Assert.True(File.Exists(Path.Combine(_h.Uploads, $"job-{i:00}_dem.tif")));
        }
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    /// <summary>The real deleter, which holds the first deletion of one job's data until the test lets it go.</summary>
    private sealed class BlockingDeleter(SafeDeleter inner, string blockOn) : ISafeDeleter
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public IReadOnlyList<string> Roots => inner.Roots;

        public void Release() => _release.TrySetResult();

        public async ValueTask<DeletionResult> DeleteAsync(string path, CancellationToken cancellationToken = default)
        {
            if (path.Contains(blockOn, StringComparison.Ordinal) && _entered.TrySetResult())
            {
                await _release.Task;
            }

            return await inner.DeleteAsync(path, cancellationToken);
        }

        public ValueTask<DeletionResult> MeasureAsync(string path, CancellationToken cancellationToken = default) => inner.MeasureAsync(path, cancellationToken);
    }
}
