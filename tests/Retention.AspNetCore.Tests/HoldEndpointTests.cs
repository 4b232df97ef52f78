using System.Net;
using Retention.AspNetCore.Tests.Support;
using static Retention.AspNetCore.Tests.Support.HttpJson;

namespace Retention.AspNetCore.Tests;

/// <summary><c>GET/POST /holds</c> and <c>DELETE /holds/{id}</c>: behind the endpoints' policy, the signed-in user on record, refusals naming what is wrong.</summary>
public sealed class HoldEndpointTests : IAsyncDisposable
{
    private readonly ApiHarness _h = new();

    [Fact]
    public async Task A_hold_is_placed_listed_kept_by_a_run_and_released_with_the_user_on_record()
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(9));
        _h.SeedJob("job-b", JobStatus.Succeeded, TimeSpan.FromDays(9));
        var client = await _h.StartAsync();

        var added = await client.PostAsync("/api/cleanup/holds", Json("""{"job_id": "job-a", "reason": "legal hold", "until": "2999-01-01T00:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var hold = await Body(added);
        var id = hold.GetProperty("id").GetString()!;
        Assert.Equal(("job-a", "alice", "legal hold"), (hold.GetProperty("job_id").GetString(), hold.GetProperty("owner").GetString(), hold.GetProperty("reason").GetString()));
        Assert.Equal(id, Assert.Single((await Body(await client.GetAsync("/api/cleanup/holds?job_id=job-a"))).EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty((await Body(await client.GetAsync("/api/cleanup/holds?job_id=job-b"))).EnumerateArray());

        var run = await Body(await client.PostAsync("/api/cleanup", null));
        Assert.Equal(1, run.GetProperty("cleaned_jobs").GetProperty("successful").GetInt32());
        Assert.True(Directory.Exists(Path.Combine(_h.Results, "job-a")));

        var released = await client.DeleteAsync($"/api/cleanup/holds/{id}");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Empty((await Body(await client.GetAsync("/api/cleanup/holds"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/cleanup/holds/{id}")).StatusCode);
        Assert.Contains(_h.Logs.Messages, m => m == $"Hold {id} on job job-a placed by alice from 10.1.2.3: legal hold");
        Assert.Contains(_h.Logs.Messages, m => m == $"Hold {id} on job job-a released by alice from 10.1.2.3");
    }

    [Theory]
    [InlineData("""{"job_id": "nope", "reason": "why"}""", "hold", "There is no job 'nope'")]
    [InlineData("""{"job_id": "job-a", "reason": " "}""", "hold", "needs a reason")]
    [InlineData("""{"job_id": "job-a"}""", "reason", "reason is required")]
    [InlineData("""{"job_id": "job-a", "reason": "why", "until": "2000-01-01T00:00:00Z"}""", "hold", "is not in the future")]
    [InlineData("""{"job_id": "job-a", "reason": "why", "until": "soon"}""", "until", "until must be an ISO-8601 time")]
    [InlineData("""{"job_id": "job-a", "reason": "why", "owner": "mallory"}""", "owner", "'owner' is not a field of this request")]
    public async Task A_bad_request_is_400_naming_what_is_wrong_and_stores_nothing(string body, string field, string expected)
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(9));
        var client = await _h.StartAsync();

        var response = await client.PostAsync("/api/cleanup/holds", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Body(response)).GetProperty("errors").GetProperty(field);
        Assert.Contains(expected, errors[0].GetString()!, StringComparison.Ordinal);
        Assert.Empty(_h.Store.Find("job-a")!.Holds);
    }

    [Fact]
    public async Task Without_the_policy_holds_can_be_neither_read_nor_placed()
    {
        _h.SeedJob("job-a", JobStatus.Succeeded, TimeSpan.FromDays(9));
        await _h.StartAsync();
        var outsider = _h.Client("mallory");

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/api/cleanup/holds")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync("/api/cleanup/holds", Json("""{"job_id": "job-a", "reason": "why"}"""))).StatusCode);
        Assert.Empty(_h.Store.Find("job-a")!.Holds);
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
