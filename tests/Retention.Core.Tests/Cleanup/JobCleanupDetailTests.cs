using Retention.Cleanup;
using Retention.Tests.Support;

namespace Retention.Tests.Cleanup;

/// <summary>A report's job detail formats its reason only when read, and compares by what it says either way.</summary>
public sealed class JobCleanupDetailTests : IDisposable
{
    private readonly CleanupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_detail_from_a_run_reads_its_reason_and_equals_one_built_from_the_words()
    {
        _h.SeedJob("job-a", JobStatus.Failed, TimeSpan.FromDays(2));

        var detail = Assert.Single((await _h.Cleaner.RunAsync(CleanupRequest.Default)).Jobs);
        var built = new JobCleanupDetail(detail.JobId, detail.JobType, detail.Status, detail.Age, detail.Outcome, detail.BytesFreed, detail.RecordPurged, "failed 2 days ago; data kept 12 hours", detail.Artifacts);

        Assert.Equal(built.Reason, detail.Reason);
        Assert.Equal(built, detail);
        Assert.Equal(built.GetHashCode(), detail.GetHashCode());
        Assert.NotEqual(built, detail with { Reason = "something else" });
        Assert.Equal("something else", (detail with { Reason = "something else" }).Reason);
    }
}
