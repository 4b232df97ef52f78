using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Reaping;

public sealed class ReaperAndStartupResetTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();

    [Fact]
    public async Task Start_up_reset_is_finished_before_StartAsync_returns()
    {
        RunningJob("left-running", TimeSpan.FromMinutes(5));
        _h.Store.Upsert(new JobRecord("left-scheduled", JobStatus.Scheduled) { CreatedAt = HostHarness.Start.AddMinutes(-1) });
        _h.Store.Upsert(new JobRecord("waiting", JobStatus.Pending) { CreatedAt = HostHarness.Start.AddMinutes(-1) });
        var observedDuringStart = new List<JobStatus>();
        var host = _h.Build(
            o => o.ResetStaleJobsOnStart = true,
            services: s => s.AddHostedService(_ => new ProbeService(() => observedDuringStart.Add(_h.Store.Find("left-running")!.Status))));

        await host.StartAsync();

        // Checked the moment StartAsync returns, with no waiting: the reset ran in the host's starting step.
        Assert.Equal(JobStatus.Failed, _h.Store.Find("left-running")!.Status);
        Assert.Equal(JobStatus.Failed, _h.Store.Find("left-scheduled")!.Status);
        Assert.Equal(JobStatus.Pending, _h.Store.Find("waiting")!.Status);
        Assert.Equal([JobStatus.Failed], observedDuringStart); // a service starting after it already sees the jobs failed
        Assert.StartsWith("Job reset during startup", _h.Store.Find("left-running")!.ErrorMessage, StringComparison.Ordinal);
        var messages = _h.Logs.Messages.ToList();
        Assert.Contains("STARTUP: Cleaning up stale jobs from previous session...", messages);
        Assert.Contains("STARTUP: Job cleanup completed: 2 job(s) reset to failed", messages);
    }

    [Fact]
    public async Task Without_the_option_start_up_leaves_running_jobs_alone()
    {
        RunningJob("running", TimeSpan.FromMinutes(5));
        var host = _h.Build();
        await host.StartAsync();
        Assert.Equal(JobStatus.Running, _h.Store.Find("running")!.Status);
    }

    [Fact]
    public async Task The_reaper_fails_a_job_once_it_is_stuck_past_timeout_plus_buffer()
    {
        RunningJob("young", TimeSpan.FromMinutes(49.5));
        RunningJob("stuck", TimeSpan.FromHours(2));
        var host = _h.Build(
            o => { o.Reaper.Enabled = true; o.Reaper.Interval = TimeSpan.FromSeconds(60); },
            more: b => b.Configure(c => { c.StaleJobs.ExecutionTimeout = TimeSpan.FromHours(1); c.StaleJobs.Buffer = TimeSpan.FromMinutes(1); }));
        await host.StartAsync();
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddSeconds(60));

        Assert.Equal(JobStatus.Failed, _h.Store.Find("stuck")!.Status);
        Assert.Equal(JobStatus.Running, _h.Store.Find("young")!.Status);

        // "young" started 49.5 min before start: past 61 min at the check at +720 s (61.5 min), not at +660 s (60.5 min).
        for (var check = 1; check <= 11; check++)
        {
            _h.Time.Advance(TimeSpan.FromSeconds(60));
            await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddSeconds(60 * (check + 1)));
        }

        Assert.Equal(JobStatus.Running, _h.Store.Find("young")!.Status);
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        await _h.Time.WaitForTimerAtAsync(HostHarness.Start.AddSeconds(60 * 13));
        Assert.Equal(JobStatus.Failed, _h.Store.Find("young")!.Status);
        Assert.StartsWith("Execution stuck for 1:01:30", _h.Store.Find("young")!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(_h.Logs.Messages, m => m.StartsWith("Marking job young as failed", StringComparison.Ordinal));
    }

    private void RunningJob(string id, TimeSpan runningFor) =>
        _h.Store.Upsert(new JobRecord(id, JobStatus.Running) { CreatedAt = HostHarness.Start - runningFor, StartedAt = HostHarness.Start - runningFor });

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    /// <summary>A hosted service that records what it sees when the host starts it.</summary>
    private sealed class ProbeService(Action onStart) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            onStart();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
