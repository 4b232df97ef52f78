using System.Net;
using Retention.AspNetCore.Tests.Support;
using static Retention.AspNetCore.Tests.Support.HttpJson;

namespace Retention.AspNetCore.Tests;

/// <summary><c>POST /preview/compare</c>: a candidate policy in the body, what it would change by rule, nothing touched; bad policies refused naming the key.</summary>
public sealed class CompareEndpointTests : IAsyncDisposable
{
    private readonly ApiHarness _h = new();

    [Fact]
    public async Task A_candidate_policy_is_compared_with_the_one_in_force_by_rule_and_nothing_is_touched()
    {
        _h.SeedJob("ok-3d", JobStatus.Succeeded, TimeSpan.FromDays(3));
        _h.SeedJob("ok-9d", JobStatus.Succeeded, TimeSpan.FromDays(9));
        _h.SeedJob("failed-1d", JobStatus.Failed, TimeSpan.FromDays(1));
        var client = await _h.StartAsync();
        var before = _h.Snapshot();

        var response = await client.PostAsync("/api/cleanup/preview/compare", Json("""{"SucceededRetention": "2d", "FailedRetention": "3d"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Body(response);
        Assert.Equal(3, body.GetProperty("jobs_scanned").GetInt64());
        Assert.Equal(1, body.GetProperty("totals").GetProperty("becomes_due").GetProperty("jobs").GetInt64());
        Assert.Equal(1, body.GetProperty("totals").GetProperty("no_longer_due").GetProperty("jobs").GetInt64());
        Assert.Equal(0, body.GetProperty("totals").GetProperty("due_later").GetProperty("jobs").GetInt64());
        var changes = body.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("kind").GetString(), c.GetProperty("rule").GetString(), c.GetProperty("job_ids")[0].GetString())).ToArray();
        Assert.Equal([("becomes_due", "succeeded-data", "ok-3d"), ("no_longer_due", "failed-data", "failed-1d")], changes);
        Assert.Equal(before.Files, _h.Snapshot().Files);
        Assert.All(_h.Store.Jobs, j => Assert.Null(j.DataCleanedAt));

        // Rules in the configuration's shape: ok-3d becomes due; the other two are due under both.
        var rules = await Body(await client.PostAsync("/api/cleanup/preview/compare", Json("""{"Rules": [{"Name": "everything", "Statuses": ["Succeeded", "Failed"], "Retention": "immediately"}]}""")));
        Assert.Equal(("everything", 1L), (rules.GetProperty("changes")[0].GetProperty("rule").GetString(), rules.GetProperty("totals").GetProperty("becomes_due").GetProperty("jobs").GetInt64()));
    }

    [Theory]
    [InlineData("", "body", "not valid JSON")]
    [InlineData("{}", "body", "must be a JSON object with the candidate policy")]
    [InlineData("""{"Roots": {"results": "/"}}""", "Roots", "'Roots' is not part of a policy")]
    [InlineData("""{"SucceededRetention": "soon"}""", "JobCleanup:SucceededRetention", "soon")]
    [InlineData("""{"Rules": [{"Statuses": ["Running"], "Retention": "1d"}]}""", "JobCleanup:Rules:0:Statuses", "active status")]
    [InlineData("""{"Rules": []}""", "Rules", "'Rules' is empty")]
    [InlineData("""{"SucceededRetention": null}""", "SucceededRetention", "is null")]
    [InlineData("""{"Rules": [{"Statuses": ["Failed"], "Retention": "1d"}], "rules": [{"Statuses": ["Failed"], "Retention": "2d"}]}""", "body", "duplicate key")]
    public async Task A_bad_candidate_is_400_naming_the_key(string body, string field, string expected)
    {
        var client = await _h.StartAsync();

        var response = await client.PostAsync("/api/cleanup/preview/compare", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Body(response)).GetProperty("errors");
        var named = errors.EnumerateObject().Select(p => (p.Name, p.Value[0].GetString())).ToArray();
        Assert.Contains(named, e => e.Name == field && e.Item2!.Contains(expected, StringComparison.Ordinal));
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();
}
