using System.Net;
using Microsoft.AspNetCore.Builder;
using Retention.AspNetCore.Tests.Support;
using static Retention.AspNetCore.Tests.Support.HttpJson;
using Retention.Stores;

namespace Retention.AspNetCore.Tests;

/// <summary>The dashboard's mapping and the read endpoints it added to the API: explain, storage, due, cancel, health.</summary>
public sealed class DashboardEndpointTests : IAsyncDisposable
{
    private readonly ApiHarness _h = new();

    [Fact]
    public void The_dashboard_is_not_mapped_without_a_policy_or_AllowAnonymous_said_out_loud()
    {
        var app = WebApplication.CreateBuilder().Build();

        var refused = Assert.Throws<InvalidOperationException>(() => app.MapJobCleanupDashboard("/retention"));

        Assert.Contains("AuthorizationPolicy", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(app.MapJobCleanupDashboard("/retention", o => o.AllowAnonymous = true));
    }

    [Fact]
    public async Task A_viewer_reads_but_every_action_needs_the_actions_policy_and_the_pages_header()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var admin = await _h.StartAsync();
        var viewer = _h.Client("victor", "viewer");

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/retention/api/status")).StatusCode);
        Assert.False((await Body(await viewer.GetAsync("/retention/api/me"))).GetProperty("can_act").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(Action("/retention/api"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(Action("/retention/api/stale"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync("/retention/api", Json("{}"))).StatusCode);   // no header
        Assert.Equal(HttpStatusCode.Unauthorized, (await _h.Client(null).GetAsync("/retention/")).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "old")));

        var cleaned = await admin.SendAsync(Action("/retention/api"));

        Assert.Equal(HttpStatusCode.OK, cleaned.StatusCode);
        Assert.True((await Body(await admin.GetAsync("/retention/api/me"))).GetProperty("can_act").GetBoolean());
        Assert.False(Directory.Exists(Path.Combine(_h.Results, "old")));
        var run = Assert.Single(await _h.Store.GetRunsAsync(new CleanupRunQuery()));
        Assert.Equal(("http", "alice"), (run.Trigger, run.RequestedBy));
        Assert.Contains(_h.Logs.Messages, m => m == $"Cleanup run requested by alice from 10.1.2.3: run {run.RunId}");
    }

    [Fact]
    public async Task A_job_is_explained_artifact_by_artifact_and_an_unknown_one_is_404()
    {
        _h.SeedJob("old", JobStatus.Succeeded, TimeSpan.FromDays(8));
        var client = await _h.StartAsync();

        var job = await Body(await client.GetAsync("/api/cleanup/jobs/old"));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("is_due").GetBoolean());
        Assert.Equal("none", job.GetProperty("protection").GetString());
        var artifacts = job.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Equal(["input", "output"], artifacts.Select(a => a.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        Assert.All(artifacts, a => Assert.Equal("delete", a.GetProperty("verdict").GetString()));
        Assert.All(artifacts, a => Assert.False(string.IsNullOrEmpty(a.GetProperty("reason").GetString())));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/cleanup/jobs/no-such-job")).StatusCode);
    }

    [Fact]
    public async Task Storage_is_told_by_status_and_by_artifact_kind_from_the_recorded_sizes()
    {
        _h.Store.Upsert(new JobRecord("a", JobStatus.Succeeded) { CompletedAt = DateTimeOffset.UtcNow, Artifacts = [new(ArtifactKind.Input, "uploads/a_dem.tif", 100), new(ArtifactKind.Output, "results/a", 1000)] });
        _h.Store.Upsert(new JobRecord("b", JobStatus.Failed) { CompletedAt = DateTimeOffset.UtcNow, Artifacts = [new(ArtifactKind.Output, "results/b", 24)] });
        _h.Store.Upsert(new JobRecord("c", JobStatus.Failed) { CompletedAt = DateTimeOffset.UtcNow, DataCleanedAt = DateTimeOffset.UtcNow, Artifacts = [new(ArtifactKind.Output, "results/c", 5000)] });
        var client = await _h.StartAsync();

        var storage = await Body(await client.GetAsync("/api/cleanup/storage"));

        Assert.Equal(1124, storage.GetProperty("held").GetProperty("bytes").GetInt64());
        Assert.Equal(
            ["failed 1 24", "succeeded 1 1100"],
            storage.GetProperty("by_status").EnumerateArray().Select(s => $"{s.GetProperty("status").GetString()} {s.GetProperty("jobs").GetInt64()} {s.GetProperty("size").GetProperty("bytes").GetInt64()}"));
        Assert.Equal(
            ["input 1 100", "output 2 1024"],
            storage.GetProperty("by_kind").EnumerateArray().Select(k => $"{k.GetProperty("kind").GetString()} {k.GetProperty("artifacts").GetInt64()} {k.GetProperty("size").GetProperty("bytes").GetInt64()}"));
    }

    [Fact]
    public async Task Due_lists_the_overdue_first_then_the_soonest_and_refuses_a_bad_limit()
    {
        _h.SeedJob("later", JobStatus.Succeeded, TimeSpan.FromDays(1));
        _h.SeedJob("soon", JobStatus.Succeeded, TimeSpan.FromDays(6));
        _h.SeedJob("overdue", JobStatus.Succeeded, TimeSpan.FromDays(9));
        var client = await _h.StartAsync();

        var due = await Body(await client.GetAsync("/api/cleanup/due?limit=10"));

        Assert.Equal(["overdue", "soon", "later"], due.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()));
        Assert.Equal(1, due.GetProperty("overdue_jobs").GetInt32());
        Assert.True(due.GetProperty("complete").GetBoolean());
        Assert.True(due.GetProperty("jobs")[1].GetProperty("due_at").GetDateTimeOffset() < due.GetProperty("jobs")[2].GetProperty("due_at").GetDateTimeOffset());
        var refused = await client.GetAsync("/api/cleanup/due?limit=1000");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("limit must be a whole number from 1 to 100", (await Body(refused)).GetProperty("errors").GetProperty("limit")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_run_that_is_not_in_progress_is_404_and_audited_and_health_answers()
    {
        var client = await _h.StartAsync();

        var cancel = await client.PostAsync("/api/cleanup/runs/cleanup-none/cancel", null);
        var health = await Body(await client.GetAsync("/api/cleanup/health"));

        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Contains(_h.Logs.Messages, m => m == "Cancel of run cleanup-none requested by alice from 10.1.2.3: False");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private static HttpRequestMessage Action(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json("{}") };
        request.Headers.Add("X-Retention-Dashboard", "1");
        return request;
    }
}
