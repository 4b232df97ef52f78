using Microsoft.Extensions.DependencyInjection;
using Polly;
using Retention.Cleanup;
using Retention.Holds;

namespace Retention.Sqlite.Tests;

/// <summary>Holds on the SQLite store: placed and released through <see cref="IJobHolds"/> with an audit, and honoured by runs.</summary>
public sealed class HoldTests : IDisposable
{
    private readonly SeedDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_database_without_holds_gets_the_holds_table_and_its_index_in_place_and_keeps_its_jobs()
    {
        _db.AddJob("job-a", "completed", TimeSpan.FromDays(9));
        Assert.Empty(_db.Query("SELECT name FROM sqlite_master WHERE name LIKE 'job_holds%' OR name LIKE 'ix_job_holds%'"));
        using var services = _db.Services();

        await services.GetRequiredService<IJobHolds>().AddAsync("job-a", "alice", "legal hold");

        Assert.Equal(["ix_job_holds_job", "job_holds"], _db.Query("SELECT name FROM sqlite_master WHERE tbl_name = 'job_holds' AND name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => (string)r[0]!));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM jobs"));
        var plan = string.Join(" | ", _db.Query("EXPLAIN QUERY PLAN SELECT 1 FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM job_holds h WHERE h.job_id = j.id AND (h.expires_at IS NULL OR h.expires_at > '2024'))").Select(r => (string)r[3]!));
        Assert.Contains("ix_job_holds_job", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holds_are_placed_and_released_with_who_did_it_in_the_audit_and_a_run_keeps_the_held_job()
    {
        _db.AddJob("job-held", "completed", TimeSpan.FromDays(9));
        _db.AddJob("job-free", "completed", TimeSpan.FromDays(9));
        using var services = _db.Services();
        var holds = services.GetRequiredService<IJobHolds>();

        var legal = await holds.AddAsync("job-held", "alice", "legal hold");
        var review = await holds.AddAsync("job-held", "bob", "paper review", SeedDatabase.Now.AddDays(3));
        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal(["job-free"], report.Jobs.Where(j => j.Outcome == JobCleanupOutcome.Cleaned).Select(j => j.JobId));
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-held")));
        Assert.Equal(new[] { legal.Id, review.Id }.Order(StringComparer.Ordinal), (await holds.ListAsync("job-held")).Select(h => h.Id)); // placed at one instant: by id

        await holds.ReleaseAsync(legal.Id, "carol");
        Assert.Equal([review], await holds.ListAsync());
        var audit = _db.Query("SELECT job_id, action, user FROM cleanup_audit WHERE action LIKE 'hold%' ORDER BY id").Select(r => $"{r[0]} {r[1]} {r[2]}");
        Assert.Equal(["job-held hold_added alice", "job-held hold_added bob", "job-held hold_released carol"], audit);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_what_is_wrong_and_store_nothing()
    {
        _db.AddJob("job-a", "completed", TimeSpan.FromDays(9));
        _db.AddJob("job-gone", "completed", TimeSpan.FromDays(9));
        _db.Execute("UPDATE jobs SET data_cleaned_at = '2024-01-19T00:00:00.000000Z' WHERE id = 'job-gone'");
        using var services = _db.Services();
        var holds = services.GetRequiredService<IJobHolds>();

        async Task<string> Refused(Func<Task> act) => (await Assert.ThrowsAsync<JobHoldRefusedException>(act)).Message;

        Assert.Contains("no job 'job-nope'", await Refused(() => holds.AddAsync("job-nope", "alice", "why")), StringComparison.Ordinal);
        Assert.Contains("needs a reason", await Refused(() => holds.AddAsync("job-a", "alice", " ")), StringComparison.Ordinal);
        Assert.Contains("needs an owner", await Refused(() => holds.AddAsync("job-a", "", "why")), StringComparison.Ordinal);
        Assert.Contains("not in the future", await Refused(() => holds.AddAsync("job-a", "alice", "why", SeedDatabase.Now.AddMinutes(-1))), StringComparison.Ordinal);
        Assert.Contains("already gone", await Refused(() => holds.AddAsync("job-gone", "alice", "why")), StringComparison.Ordinal);
        Assert.Contains("no hold 'hold-nope'", await Refused(() => holds.ReleaseAsync("hold-nope", "alice")), StringComparison.Ordinal);

        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM job_holds"));
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM cleanup_audit"));
    }

    [Fact]
    public async Task An_expired_hold_no_longer_keeps_the_job()
    {
        _db.AddJob("job-a", "completed", TimeSpan.FromDays(9));
        using var services = _db.Services();
        var store = services.GetRequiredService<SqliteJobStore>();
        await store.AddHoldAsync(new JobHold("alice", "review", SeedDatabase.Now.AddSeconds(-1)) { JobId = "job-a", CreatedAt = SeedDatabase.Now.AddDays(-2) });

        var report = await services.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.Equal(JobCleanupOutcome.Cleaned, Assert.Single(report.Jobs).Outcome);
        Assert.False(Directory.Exists(Path.Combine(_db.Results, "job-a")));
    }

    [Fact]
    public async Task A_hold_placed_after_the_run_read_the_job_stops_its_deletion_and_the_job_is_reported_held()
    {
        _db.AddJob("job-a", "completed", TimeSpan.FromDays(9));
        _db.AddJob("job-b", "completed", TimeSpan.FromDays(9));
        using var store = new SqliteJobStore(new SqliteJobStoreOptions { DatabasePath = _db.DatabasePath });
        var racing = new HoldPlacedAfterReading<SqliteJobStore>(store, "job-a", new JobHold("alice", "incident 42") { CreatedAt = SeedDatabase.Now });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new TestClock(SeedDatabase.Now));
        services.AddJobCleanup(o =>
        {
            o.AddRoot("uploads", _db.Uploads).AddRoot("results", _db.Results);
            o.ResiliencePipeline = ResiliencePipeline.Empty;
        }).UseStore(_ => racing);
        using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<IJobCleaner>().RunAsync(CleanupRequest.Default);

        Assert.True(racing.Placed);
        var held = report.Jobs.Single(j => j.JobId == "job-a");
        Assert.Equal(JobCleanupOutcome.Protected, held.Outcome);
        Assert.Equal("held by alice: incident 42", held.Reason);
        Assert.True(Directory.Exists(Path.Combine(_db.Results, "job-a")));
        Assert.True(File.Exists(Path.Combine(_db.Uploads, "job-a_dem.tif")));
        Assert.Null(_db.Scalar("SELECT data_cleaned_at FROM jobs WHERE id = 'job-a'"));
        Assert.Equal(JobCleanupOutcome.Cleaned, report.Jobs.Single(j => j.JobId == "job-b").Outcome);
    }
}
