using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Retention.WebHost.Tests.Support;

namespace Retention.WebHost.Tests;

/// <summary>The dashboard over a large store: its API answers stay paged, however much the store holds.</summary>
public sealed class DashboardScaleTests : IDisposable
{
    private const int JobCount = 100_000;
    private const int RunCount = 1_000;
    private const int MaxResponseBytes = 1024 * 1024;

    private readonly KestrelWebHost _host = new();

    [ChromiumFact]
    public async Task With_100000_jobs_and_1000_runs_the_page_loads_and_no_answer_is_over_a_megabyte()
    {
        // The store creates its tables on first use; then the rows go in set-based, in one transaction.
        (await _host.Client().GetAsync("/retention/api/storage")).EnsureSuccessStatusCode();
        var seeded = Seed();
        Assert.Equal(JobCount, seeded);

        await using var browser = await DashboardBrowser.OpenAsync(_host.BaseAddress);
        await browser.SignInAsync(_host.BaseAddress, WebHostFactory.Token);
        await Assertions.Expect(browser.Page.Locator("#runs tbody tr")).ToHaveCountAsync(50);
        await browser.Page.ClickAsync("#more-runs");
        await Assertions.Expect(browser.Page.Locator("#runs tbody tr")).ToHaveCountAsync(100);
        await Assertions.Expect(browser.Page.Locator("#held-total")).ToHaveTextAsync("48.8 GB");   // 100,000 × 0.5 MB

        var answers = browser.Responses.Where(r => r.Url.Contains("/retention/api/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(answers);
        foreach (var answer in answers)
        {
            var size = (await answer.BodyAsync()).Length;
            Assert.True(size < MaxResponseBytes, $"{answer.Url} answered {size} bytes.");
        }

        var storage = await _host.Client().GetFromJsonAsync<System.Text.Json.JsonElement>("/retention/api/storage");
        Assert.Equal(JobCount, storage.GetProperty("by_status").EnumerateArray().Sum(s => s.GetProperty("jobs").GetInt64()));
        browser.AssertStayedOnSiteWithoutErrors();
    }

    public void Dispose() => _host.Dispose();

    private int Seed()
    {
        using var connection = new SqliteConnection($"Data Source={_host.DatabasePath};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @jobs)
            INSERT INTO jobs (id, status, job_type, created_at, started_at, completed_at, data_size_mb)
            SELECT printf('bulk-%06d', i), CASE i % 4 WHEN 0 THEN 'failed' ELSE 'completed' END, 'eemt',
                   strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d minutes', i)), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d minutes', i)),
                   strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d minutes', i)), 0.5
            FROM n;
            INSERT INTO job_artifacts (job_id, kind, path, size_bytes)
            SELECT id, 'output', @results || '/' || id || '/output.tif', 524288 FROM jobs WHERE id LIKE 'bulk-%';
            WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < @runs)
            INSERT INTO cleanup_runs (run_id, trigger, requested_by, requested_from, started_at, finished_at, dry_run, outcome, jobs_scanned, jobs_cleaned, jobs_failed, bytes_freed)
            SELECT printf('cleanup-bulk-%04d', i), CASE i % 3 WHEN 0 THEN 'http' ELSE 'schedule' END, CASE i % 3 WHEN 0 THEN 'admin' ELSE 'scheduler' END, '127.0.0.1',
                   strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d hours', i)), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d hours', i), '+90 seconds'),
                   i % 5 = 0, 'completed', 200, 150, 0, 150 * 524288
            FROM r;
            """;
        command.Parameters.AddWithValue("@jobs", JobCount);
        command.Parameters.AddWithValue("@runs", RunCount);
        command.Parameters.AddWithValue("@results", Path.Combine(_host.Tree.Root, "results"));
        command.ExecuteNonQuery();
        transaction.Commit();

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM jobs WHERE id LIKE 'bulk-%'";
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
