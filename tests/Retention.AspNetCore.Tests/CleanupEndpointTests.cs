using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Retention.AspNetCore.Tests.Support;
using static Retention.AspNetCore.Tests.Support.HttpJson;
using Retention.Scheduling;
using Retention.Stores;

namespace Retention.AspNetCore.Tests;

public sealed class CleanupEndpointTests : IAsyncDisposable
{
    private readonly ApiHarness _h = new();

    [Fact]
    public async Task The_seeds_request_gets_the_seeds_response_and_is_audited()
    {
        _h.SeedJob("job-20240115-123456", JobStatus.Succeeded, TimeSpan.FromDays(8.2), bytes: 4096);
        _h.SeedJob("job-20240119-010000", JobStatus.Failed, TimeSpan.FromHours(13), bytes: 4096);
        _h.SeedJob("job-20240120-000000", JobStatus.Succeeded, TimeSpan.FromDays(1));
        var client = await _h.StartAsync();

        var response = await client.PostAsync("/api/cleanup", Json("""{"dry_run": false, "success_retention_hours": 168, "failed_retention_hours": 12}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Body(response);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(1, body.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.Equal(1, body.GetProperty("cleaned_jobs").GetProperty("failed").GetInt32());
        Assert.Equal(10240, body.GetProperty("space_freed").GetProperty("bytes").GetInt64());
        Assert.Equal("10.0 KB", body.GetProperty("space_freed").GetProperty("human_readable").GetString());
        var detail = body.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("job_id").GetString() == "job-20240115-123456");
        Assert.Equal("completed", detail.GetProperty("status").GetString());
        Assert.Equal(8.2, detail.GetProperty("age_days").GetDouble());
        Assert.Equal("5.0 KB", detail.GetProperty("space_freed").GetString());
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "job-20240115-123456")));
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-20240120-000000")));

        var run = Assert.Single(await _h.Store.GetRunsAsync(new CleanupRunQuery()));
        Assert.Equal(("http", "alice", "10.1.2.3"), (run.Trigger, run.RequestedBy, run.RequestedFrom));
        Assert.Contains(_h.Logs.Messages, m => m == $"Cleanup run requested by alice from 10.1.2.3: run {run.RunId}");
    }

    [Fact]
    public async Task A_bare_POST_runs_with_the_configured_defaults_and_hours_override_them_for_one_run()
    {
        _h.SeedJob("three-days", JobStatus.Succeeded, TimeSpan.FromDays(3));
        var client = await _h.StartAsync();

        var bare = await Body(await client.PostAsync("/api/cleanup", null));
        Assert.Equal(0, bare.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());

        var custom = await Body(await client.PostAsync("/api/cleanup", Json("""{"success_retention_hours": 72, "failed_retention_hours": 6}""")));
        Assert.Equal(1, custom.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_estimates_and_deletes_nothing()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8), bytes: 2048);
        var client = await _h.StartAsync();
        var before = _h.Snapshot();

        var body = await Body(await client.PostAsync("/api/cleanup", Json("""{"dry_run": true}""")));

        Assert.True(body.GetProperty("dry_run").GetBoolean());
        Assert.Equal(2560, body.GetProperty("space_freed").GetProperty("bytes").GetInt64());
        Assert.Equal(before.Files, _h.Snapshot().Files);
        Assert.Null(_h.Store.Find("old")!.DataCleanedAt);
    }

    [Fact]
    public async Task A_sudden_run_stops_at_the_mass_deletion_guard_and_confirm_mass_deletion_lets_the_next_one_go_on()
    {
        var client = await _h.StartAsync();
        for (var day = 0; day < 5; day++)
        {
            _h.SeedJob($"usual-{day}", JobStatus.Succeeded, TimeSpan.FromDays(8));
            Assert.True((await Body(await client.PostAsync("/api/cleanup", null))).GetProperty("success").GetBoolean());
        }

        for (var i = 0; i < 30; i++)
        {
            _h.SeedJob($"sudden-{i:D2}", JobStatus.Succeeded, TimeSpan.FromDays(8));
        }

        var stopped = await Body(await client.PostAsync("/api/cleanup", null));
        var confirmed = await Body(await client.PostAsync("/api/cleanup", Json("""{"confirm_mass_deletion": true}""")));

        Assert.False(stopped.GetProperty("success").GetBoolean());
        Assert.Equal(20, stopped.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.Contains("Mass-deletion guard: this run reached 20 jobs, 10x the median of the last 5 runs (1 jobs cleaned)", stopped.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(confirmed.GetProperty("success").GetBoolean());
        Assert.Equal(10, confirmed.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.Contains(_h.Logs.Messages, m => m.Contains("goes past the mass-deletion guard: confirmed by alice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"success_retention_hours": -5}""", "success_retention_hours", "must be at least one second")]
    [InlineData("""{"success_retention_hours": 1e-300}""", "success_retention_hours", "must be at least one second")]
    [InlineData("""{"dryRun": true}""", "dryRun", "'dryRun' is not a field of this request")]
    [InlineData("""{"dry_run": true, "dry_run": false}""", "dry_run", "'dry_run' is given more than once")]
    [InlineData("""{"failed_retention_hours": "12"}""", "failed_retention_hours", "must be a number of hours, not the string \"12\"")]
    [InlineData("""{"dry_run": "yes"}""", "dry_run", "dry_run must be true or false")]
    [InlineData("""{"confirm_mass_deletion": 1}""", "confirm_mass_deletion", "confirm_mass_deletion must be true or false, not 1")]
    [InlineData("""{"dry_run": false,""", "body", "The request body is not valid JSON")]
    [InlineData("""[1, 2]""", "body", "must be a JSON object, not array")]
    [InlineData("""{"success_retention_hours": 0}""", "success_retention_hours", "must be at least one second")]
    public async Task Bad_input_gets_a_400_naming_the_field_and_changes_nothing(string json, string field, string message)
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(30));
        var client = await _h.StartAsync();
        var before = _h.Snapshot();

        var response = await client.PostAsync("/api/cleanup", Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Body(response);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public async Task A_form_or_text_body_gets_415_and_a_cross_site_request_403_and_nothing_changes()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(30));
        var client = await _h.StartAsync();
        var before = _h.Snapshot();

        // What a page on another site can make a signed-in browser send without asking first.
        var text = await client.PostAsync("/api/cleanup", new StringContent("""{"dry_run": false}""", Encoding.UTF8, "text/plain"));
        var form = await client.PostAsync("/api/cleanup", new FormUrlEncodedContent([]));
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/cleanup");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        var cross = await client.SendAsync(crossSite);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cross.StatusCode);
        AssertUnchanged(before);
        Assert.Empty(await _h.Store.GetRunsAsync(new CleanupRunQuery()));
    }

    [Fact]
    public async Task An_oversized_body_gets_413_and_changes_nothing()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(30));
        var client = await _h.StartAsync();
        var before = _h.Snapshot();

        var response = await client.PostAsync("/api/cleanup", Json("{\"dry_run\": false, \"padding\": \"" + new string('x', 20_000) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 16384 bytes", (await Body(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public async Task Anonymous_gets_401_and_a_user_without_the_policy_gets_403_and_nothing_changes()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(30));
        await _h.StartAsync();
        var before = _h.Snapshot();

        foreach (var path in new[] { "/api/cleanup", "/api/cleanup/stale?mode=startup" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _h.Client(null).PostAsync(path, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _h.Client("bob", "viewer").PostAsync(path, null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _h.Client(null).GetAsync("/api/cleanup/status")).StatusCode);
        AssertUnchanged(before);
        Assert.Empty(await _h.Store.GetRunsAsync(new CleanupRunQuery()));
    }

    [Fact]
    public async Task A_run_in_progress_gets_409_with_its_progress_and_the_second_request_changes_nothing()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(30));
        var held = new HeldStore(_h.Store);
        var client = await _h.StartAsync(b => b.UseStore(_ => held));
        var first = client.PostAsync("/api/cleanup", null);
        await held.Reading.WaitAsync(TimeSpan.FromSeconds(10));
        var before = _h.Snapshot();

        var second = await _h.Client("carol", "admin").PostAsync("/api/cleanup", Json("""{"dry_run": true}"""));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var running = (await Body(second)).GetProperty("running");
        Assert.Equal("alice", running.GetProperty("requested_by").GetString());
        Assert.Equal("http", running.GetProperty("trigger").GetString());
        AssertUnchanged(before);

        held.Release();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Single(await _h.Store.GetRunsAsync(new CleanupRunQuery()));
    }

    [Fact]
    public async Task Status_preview_stale_and_runs_answer_as_documented()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        _h.Store.Upsert(new JobRecord("left-running", JobStatus.Running) { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5), StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        var client = await _h.StartAsync();

        var preview = await Body(await client.GetAsync("/api/cleanup/preview"));
        var planned = preview.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("old", planned.GetProperty("job_id").GetString());
        Assert.StartsWith("succeeded 8 days ago", planned.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, planned.GetProperty("artifacts").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(_h.Results, "old", "out.tif")));

        var status = await Body(await client.GetAsync("/api/cleanup/status"));
        Assert.False(status.GetProperty("running").GetBoolean());
        Assert.True(status.GetProperty("last_run").GetProperty("dry_run").GetBoolean());
        Assert.Contains(status.GetProperty("policy").EnumerateArray(), r => r.GetString()!.Contains("7 days", StringComparison.Ordinal));
        Assert.Equal(0, status.GetProperty("unmapped_statuses").GetArrayLength());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/cleanup/stale?mode=everything", null)).StatusCode);
        Assert.Equal(JobStatus.Running, _h.Store.Find("left-running")!.Status);
        var stale = await Body(await client.PostAsync("/api/cleanup/stale?mode=startup", null));
        Assert.Equal("left-running", stale.GetProperty("reaped")[0].GetProperty("job_id").GetString());
        Assert.Equal(JobStatus.Failed, _h.Store.Find("left-running")!.Status);

        await client.PostAsync("/api/cleanup", null);
        var page = await Body(await client.GetAsync("/api/cleanup/runs?limit=1"));
        Assert.Equal("http", page.GetProperty("runs")[0].GetProperty("trigger").GetString());
        Assert.False(page.GetProperty("runs")[0].GetProperty("dry_run").GetBoolean());
        var next = page.GetProperty("next_before").GetString();
        var older = await Body(await client.GetAsync($"/api/cleanup/runs?limit=1&before={Uri.EscapeDataString(next!)}"));
        Assert.True(older.GetProperty("runs")[0].GetProperty("dry_run").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/cleanup/runs?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/cleanup/runs?before=yesterday")).StatusCode);
    }

    [Fact]
    public async Task The_health_endpoint_reports_the_cleanup_check()
    {
        var client = await _h.StartAsync();
        await client.PostAsync("/api/cleanup", null);

        var health = await Body(await _h.Client(null).GetAsync("/health/cleanup"));

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("completed", health.GetProperty("data").GetProperty("last_run_outcome").GetString());
    }

    [Fact]
    public void Mapping_without_a_policy_or_an_explicit_AllowAnonymous_is_refused()
    {
        var app = WebApplication.CreateBuilder().Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapJobCleanup());
        Assert.Contains("name the authorization policy", error.Message, StringComparison.Ordinal);
    }

    private void AssertUnchanged((IReadOnlyDictionary<string, long> Files, IReadOnlyList<JobRecord> Jobs) before)
    {
        var after = _h.Snapshot();
        Assert.Equal(before.Files, after.Files);
        Assert.Equal(before.Jobs, after.Jobs);
    }

    [Fact]
    public async Task Status_names_the_status_words_no_status_is_mapped_to()
    {
        var database = Path.Combine(_h.Tree.Root, "jobs.db");
        using (var store = new Retention.Sqlite.SqliteJobStore(new Retention.Sqlite.SqliteJobStoreOptions { DatabasePath = database }))
        {
            await store.UpsertAsync([new JobRecord("a", JobStatus.Succeeded) { CreatedAt = DateTimeOffset.UtcNow }]);
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE jobs SET status = 'done'";
            command.ExecuteNonQuery();
        }

        var client = await _h.StartAsync(cleanup => cleanup.UseSqliteStore(o => o.DatabasePath = database));
        await client.PostAsync("/api/cleanup", null);

        var status = await Body(await client.GetAsync("/api/cleanup/status"));

        var unmapped = Assert.Single(status.GetProperty("unmapped_statuses").EnumerateArray());
        Assert.Equal(("done", 1L), (unmapped.GetProperty("status").GetString(), unmapped.GetProperty("jobs").GetInt64()));
    }

    [Fact]
    public async Task Status_names_the_last_occurrence_left_to_another_instance_and_why()
    {
        var client = await _h.StartAsync();
        Assert.False((await Body(await client.GetAsync("/api/cleanup/status"))).TryGetProperty("last_skipped_occurrence", out _));

        await using var fleet = new ApiHarness();
        var due = new DateTimeOffset(2026, 11, 22, 0, 50, 0, TimeSpan.Zero);
        var older = new SkippedOccurrence(due.AddMinutes(-10), OccurrenceSkipReason.RanElsewhere, due.AddMinutes(-10).AddSeconds(1));
        var latest = new SkippedOccurrence(due, OccurrenceSkipReason.LockHeldElsewhere, due.AddMilliseconds(12));
        client = await fleet.StartAsync(cleanup => cleanup.Services.AddSingleton<ICleanupScheduleState>(new SkippingSchedule(latest)).AddSingleton<ICleanupScheduleState>(new SkippingSchedule(older)));

        var skipped = (await Body(await client.GetAsync("/api/cleanup/status"))).GetProperty("last_skipped_occurrence");

        Assert.Equal(due, skipped.GetProperty("occurrence").GetDateTimeOffset());
        Assert.Equal("lock_held_elsewhere", skipped.GetProperty("reason").GetString());
        Assert.Equal(latest.SkippedAt, skipped.GetProperty("skipped_at").GetDateTimeOffset());
    }

    /// <summary>A schedule of this process that left an occurrence to another instance of the fleet.</summary>
    private sealed class SkippingSchedule(SkippedOccurrence skipped) : ICleanupScheduleState
    {
        public DateTimeOffset? NextRunAt => null;

        public SkippedOccurrence? LastSkippedOccurrence => skipped;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
