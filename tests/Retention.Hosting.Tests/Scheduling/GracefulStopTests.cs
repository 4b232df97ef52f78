using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Hosting.Tests.Support;
using Retention.Stores;
using Retention.Stores.InMemory;

namespace Retention.Hosting.Tests.Scheduling;

public sealed class GracefulStopTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Stopping_mid_run_records_the_finished_jobs_and_a_cancelled_run_and_touches_nothing_else()
    {
        for (var i = 0; i < 12; i++)
        {
            _h.SeedJob($"job-{i:00}", JobStatus.Succeeded, TimeSpan.FromDays(8 + i));
        }

        var store = new StreamPausingStore(_h.Store, pauseAfter: 5);
        var host = _h.Build(o => o.RunOnStart = true, more: b => b.UseStore(_ => store).Configure(o => { o.BatchSize = 5; o.MaxParallelDeletions = 1; }));
        await host.StartAsync();
        await store.Paused.WaitAsync(TimeSpan.FromSeconds(10));

        // The stream is read a batch ahead: it pauses while the first batch may still be in flight. Wait until it is recorded.
        var status = host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot();
        for (var waited = 0; status.CurrentRun?.Progress.JobsCleaned != 5 && waited < 200; waited++)
        {
            await Task.Delay(50);
            status = host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot();
        }

        Assert.True(status.IsRunning);
        Assert.Equal(5, status.CurrentRun!.Progress.JobsCleaned);
        Assert.Equal(12, status.CurrentRun.Candidates);

        await host.StopAsync();
        var report = await _h.Runs.NextAsync();

        Assert.Equal(CleanupOutcome.Cancelled, report.Outcome);
        Assert.Equal(5, report.Stats.JobsCleaned);
        var cleaned = _h.Store.Jobs.Where(j => j.DataCleanedAt is not null).Select(j => j.Id).ToArray();
        Assert.Equal(5, cleaned.Length);
        foreach (var job in _h.Store.Jobs)
        {
            // Each job is either cleaned and recorded, or untouched and unrecorded: never half of either.
            var dataLeft = File.Exists(Path.Combine(_h.Uploads, job.Id + "_dem.tif")) || Directory.Exists(Path.Combine(_h.Results, job.Id));
            var whole = File.Exists(Path.Combine(_h.Uploads, job.Id + "_dem.tif")) && Directory.Exists(Path.Combine(_h.Results, job.Id));
            Assert.True(job.DataCleanedAt is null ? whole : !dataLeft, job.Id);
        }

        var history = await _h.Store.GetRunsAsync(new CleanupRunQuery());
        Assert.Equal("cancelled", Assert.Single(history).Outcome);
        Assert.False(host.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().IsRunning);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    /// <summary>The in-memory store, whose candidate stream pauses after some jobs until the run is cancelled: a run caught mid-way.</summary>
    private sealed class StreamPausingStore(InMemoryJobStore inner, int pauseAfter) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Paused => _paused.Task;

        public override async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var served = 0;
            await foreach (var job in Inner.GetCleanupCandidatesAsync(query, cancellationToken))
            {
                if (served++ == pauseAfter)
                {
                    _paused.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                yield return job;
            }
        }
    }
}
