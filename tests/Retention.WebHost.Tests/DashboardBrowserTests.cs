using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Retention.Deletion;
using Retention.WebHost.Tests.Support;

namespace Retention.WebHost.Tests;

/// <summary>The library's dashboard (<c>MapJobCleanupDashboard</c>) in the web sample, on real Kestrel over the SQLite store, in Debian's chromium.</summary>
public sealed class DashboardBrowserTests : IDisposable
{
    // Finished jobs are due a millisecond after they end, so the dashboard has something to preview and clean.
    private static readonly (string, string)[] DueAtOnce = [("JobCleanup:SucceededRetention", "00:00:00.001"), ("JobCleanup:FailedRetention", "00:00:00.001")];

    private readonly TaskCompletionSource _deletions = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KestrelWebHost _host;

    public DashboardBrowserTests()
    {
        // Deletions wait for the test (the cancel test holds them; the others open the gate at once).
        _host = new KestrelWebHost(services => services.AddSingleton<ISafeDeleter>(sp => new GatedDeleter(sp.GetRequiredService<SafeDeleter>(), _deletions.Task)), DueAtOnce);
    }

    [ChromiumFact]
    public async Task An_admin_explains_a_job_previews_cleans_and_sees_the_storage_fall_and_the_run_appear()
    {
        _deletions.SetResult();
        var jobs = await SeedAsync(240);
        await using var browser = await DashboardBrowser.OpenAsync(_host.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(_host.BaseAddress, WebHostFactory.Token);

        var heldBefore = await page.Locator("#held-total").InnerTextAsync();
        Assert.Matches(@"^\d+(\.\d)? (KB|MB)$", heldBefore);
        await Assertions.Expect(page.Locator("#by-status tbody tr")).ToHaveCountAsync(2);        // completed, failed
        await Assertions.Expect(page.Locator("#by-kind tbody tr")).ToHaveCountAsync(2);          // input, output
        await Assertions.Expect(page.Locator("#overdue")).ToContainTextAsync("overdue");
        await Assertions.Expect(page.Locator("#policy li")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#health")).ToHaveTextAsync("health: healthy");

        // A job search: its explanation, with each artifact's fate.
        var failed = jobs.First(j => j.Name.StartsWith("fail", StringComparison.Ordinal)).Id;
        await page.FillAsync("#job-id", failed);
        await page.PressAsync("#job-id", "Enter");
        await Assertions.Expect(page.Locator("#explain-summary")).ToContainTextAsync($"{failed}: failed");
        await Assertions.Expect(page.Locator("#explain-summary")).ToContainTextAsync("due now");
        await Assertions.Expect(page.Locator("#explain-artifacts tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#explain-artifacts tbody tr").First).ToContainTextAsync("deleted");
        await browser.ScreenshotAsync("dashboard-desktop.png");

        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("would clean 240 job(s) (180 succeeded, 60 failed, 0 cancelled)");
        await Assertions.Expect(page.Locator("#plan tbody tr")).ToHaveCountAsync(240);

        // Clean now shows a dry run's figures first, and deletes only when confirmed.
        await page.ClickAsync("#clean");
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync("would clean 240 job(s)");
        await Assertions.Expect(page.Locator("#confirm-clean")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("Cleaned 180 succeeded, 60 failed and 0 cancelled job(s)");
        await Assertions.Expect(page.Locator("#held-total")).Not.ToHaveTextAsync(heldBefore);
        await Assertions.Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(3);              // the preview, the clean's dry run, the clean
        await Assertions.Expect(page.Locator("#runs tbody tr").First).ToContainTextAsync("completed");
        await Assertions.Expect(page.Locator("#runs tbody tr").First).Not.ToContainTextAsync("dry run");
        await Assertions.Expect(page.Locator("#runs tbody tr").First).ToContainTextAsync("admin");
        await Assertions.Expect(page.Locator("#chart polyline")).ToHaveCountAsync(1);
        Assert.False(Directory.Exists(Path.Combine(_host.Tree.Root, "results", failed)));

        // At phone width: one column, nothing wider than the screen; and dark when the browser prefers it.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page is wider than a phone's screen.");
        const string Background = "() => getComputedStyle(document.body).backgroundColor";
        var light = await page.EvaluateAsync<string>(Background);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.NotEqual(light, await page.EvaluateAsync<string>(Background));
        await browser.ScreenshotAsync("dashboard-phone.png");

        browser.AssertStayedOnSiteWithoutErrors();
    }

    [ChromiumFact]
    public async Task A_run_in_progress_shows_its_progress_and_is_cancelled_from_the_page()
    {
        await SeedAsync(30);
        await using var browser = await DashboardBrowser.OpenAsync(_host.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(_host.BaseAddress, WebHostFactory.Token);

        await page.ClickAsync("#clean");
        await page.ClickAsync("#confirm-clean");
        await Assertions.Expect(page.Locator("#current-run")).ToBeVisibleAsync();              // the first deletion waits for the gate
        await Assertions.Expect(page.Locator("#current-text")).ToContainTextAsync("by admin");
        await page.ClickAsync("#cancel");
        await Assertions.Expect(page.Locator("#current-text")).ToContainTextAsync("Cancelling run");
        _deletions.SetResult();

        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("cancelled)");
        await Assertions.Expect(page.Locator("#current-none")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#runs tbody tr").First).ToContainTextAsync("cancelled");
        browser.AssertStayedOnSiteWithoutErrors();
    }

    [ChromiumFact]
    public async Task A_read_only_user_sees_the_dashboard_and_is_refused_every_action()
    {
        _deletions.SetResult();
        await SeedAsync(5);
        await using var browser = await DashboardBrowser.OpenAsync(_host.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(_host.BaseAddress, WebHostFactory.ViewerToken);

        await Assertions.Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clean")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#reap")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#hold-add")).ToBeDisabledAsync();
        await page.ClickAsync("#preview");                                                       // a dry run deletes nothing: a viewer may
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("would clean 5 job(s)");
        await Assertions.Expect(page.Locator("#by-status tbody tr")).Not.ToHaveCountAsync(0);

        // The request the page would send, from the page itself: the action's policy refuses it.
        var status = await page.EvaluateAsync<int>("async () => (await fetch('api', { method: 'POST', headers: { 'X-Retention-Dashboard': '1', 'Content-Type': 'application/json' }, body: '{}' })).status");
        Assert.Equal((int)HttpStatusCode.Forbidden, status);
        var viewer = _host.Client(WebHostFactory.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/retention/api/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/cleanup", null)).StatusCode);
        Assert.Empty(browser.External);
        Assert.True(Directory.EnumerateFileSystemEntries(Path.Combine(_host.Tree.Root, "results")).Any(), "A refused action deleted data.");
    }

    [ChromiumFact]
    public async Task An_admin_holds_a_job_from_its_explanation_so_a_preview_keeps_it_and_releases_the_hold_again()
    {
        _deletions.SetResult();
        var jobs = await SeedAsync(5);
        var held = jobs[0].Id;
        await using var browser = await DashboardBrowser.OpenAsync(_host.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(_host.BaseAddress, WebHostFactory.Token);

        await page.FillAsync("#job-id", held);
        await page.PressAsync("#job-id", "Enter");
        await Assertions.Expect(page.Locator("#explain-hold")).ToHaveTextAsync("No hold.");
        await Assertions.Expect(page.Locator("#explain-holds")).ToBeHiddenAsync();
        await page.FillAsync("#hold-reason", "legal review");
        await page.FillAsync("#hold-until", "2099-12-31");
        await page.ClickAsync("#hold-add");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync($"Held {held} for admin: legal review");
        await Assertions.Expect(page.Locator("#explain-holds tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#explain-holds tbody tr").First).ToContainTextAsync("legal review");
        await Assertions.Expect(page.Locator("#explain-holds tbody tr").First).ToContainTextAsync("12/31/2099");
        await Assertions.Expect(page.Locator("#explain-hold")).ToContainTextAsync("Held by admin: legal review");

        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("would clean 4 job(s)");

        await page.Locator("#explain-holds tbody button").ClickAsync();
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync($"Released admin's hold on {held} (legal review)");
        await Assertions.Expect(page.Locator("#explain-holds")).ToBeHiddenAsync();
        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("would clean 5 job(s)");
        Assert.Equal(["hold_added admin", "hold_released admin"], HoldAudit(held));
        browser.AssertStayedOnSiteWithoutErrors();
    }

    [ChromiumFact]
    public async Task Clean_now_shows_the_mass_deletion_guard_before_confirming_and_confirming_goes_past_it()
    {
        using var guarded = new KestrelWebHost(null, [.. DueAtOnce, ("JobCleanup:CircuitBreaker:MaxShareOfStoredJobs", "0.5")]);
        await SeedAsync(guarded, 8);
        await using var browser = await DashboardBrowser.OpenAsync(guarded.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(guarded.BaseAddress, WebHostFactory.Token);

        await page.ClickAsync("#clean");
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync("Mass-deletion guard: this run reached 4 jobs, 50% of the 8 jobs whose data the store holds");
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync("Delete past the guard now?");
        await Assertions.Expect(page.Locator("#confirm-clean")).ToHaveTextAsync("Delete past the guard");
        Assert.Equal(8, Directory.EnumerateDirectories(Path.Combine(guarded.Tree.Root, "results")).Count());

        await page.ClickAsync("#confirm-clean");
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("Cleaned 6 succeeded, 2 failed and 0 cancelled job(s)");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(guarded.Tree.Root, "results")));
        browser.AssertStayedOnSiteWithoutErrors();
    }

    public void Dispose() => _host.Dispose();

    private Task<List<(string Id, string Name)>> SeedAsync(int count) => SeedAsync(_host, count);

    // The store's audit rows for a job's holds: who placed and released them.
    private List<string> HoldAudit(string jobId)
    {
        using var connection = new SqliteConnection($"Data Source={_host.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT action || ' ' || user FROM cleanup_audit WHERE job_id = @job AND action LIKE 'hold%' ORDER BY id";
        command.Parameters.AddWithValue("@job", jobId);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<List<(string Id, string Name)>> SeedAsync(KestrelWebHost host, int count)
    {
        var api = host.Client();
        var jobs = new List<(string Id, string Name)>();
        for (var i = 0; i < count; i++)
        {
            var name = i % 4 == 3 ? $"fail_dem{i}.tif" : $"dem{i}.tif";
            jobs.Add((await Jobs.SubmitAsync(api, name, bytes: 20_000), name));
        }

        foreach (var (id, _) in jobs)
        {
            await Jobs.WaitFinishedAsync(api, id);
        }

        return jobs;
    }
}
