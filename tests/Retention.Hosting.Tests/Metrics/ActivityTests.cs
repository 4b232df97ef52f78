using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retention.Cleanup;
using Retention.Diagnostics;
using Retention.Hosting.Tests.Support;

namespace Retention.Hosting.Tests.Metrics;

public sealed class ActivityTests : IAsyncDisposable
{
    private readonly HostHarness _h = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ActivityTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RetentionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_run_is_one_span_with_a_child_span_per_batch()
    {
        for (var i = 0; i < 5; i++)
        {
            _h.SeedJob($"job-{i}", JobStatus.Succeeded, TimeSpan.FromDays(8 + i));
        }

        var host = _h.Build(more: b => b.Configure(o => o.BatchSize = 2));
        await host.StartAsync();
        var report = await host.Services.GetRequiredService<IJobCleaner>().RunAsync(new CleanupRequest { Trigger = CleanupTriggers.OnDemand });

        // Other tests run at the same time on the same static source: pick this run's span by its id.
        var run = Assert.Single(_stopped, a => a.OperationName == "retention.cleanup" && (string?)a.GetTagItem("retention.run_id") == report.RunId);
        Assert.Equal(CleanupTriggers.OnDemand, run.GetTagItem("retention.trigger"));
        var batches = _stopped.Where(a => a.OperationName == "retention.batch" && a.ParentSpanId == run.SpanId).ToArray();
        Assert.Equal([2, 2, 1], batches.Select(b => (int)b.GetTagItem("retention.batch.jobs")!));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _h.DisposeAsync();
    }
}
