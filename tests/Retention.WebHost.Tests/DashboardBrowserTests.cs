using Microsoft.Playwright;
using Retention.WebHost.Tests.Support;

namespace Retention.WebHost.Tests;

public sealed class DashboardBrowserTests : IDisposable
{
    // Finished jobs are due a millisecond after they end, so the dashboard has something to preview and clean.
    private readonly KestrelWebHost _host = new(("JobCleanup:SucceededRetention", "00:00:00.001"), ("JobCleanup:FailedRetention", "00:00:00.001"));
    private readonly TempTree _profile = new();

    [ChromiumFact]
    public async Task The_dashboard_loads_previews_cleans_and_shows_the_numbers_change()
    {
        var api = _host.Client();
        foreach (var name in new[] { "dem.tif", "fail_dem.tif", "slope.tif" })
        {
            await Jobs.WaitFinishedAsync(api, await Jobs.SubmitAsync(api, name, bytes: 200_000));
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(_profile.Root, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            ViewportSize = new ViewportSize { Width = 1200, Height = 1100 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(_host.BaseAddress.ToString(), StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };

        await page.GotoAsync(_host.BaseAddress.ToString());
        await page.FillAsync("#token", WebHostFactory.Token);
        await page.ClickAsync("#connect");
        await Assertions.Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        var heldBefore = await page.Locator("#held-total").InnerTextAsync();
        Assert.NotEqual("–", heldBefore);
        await Assertions.Expect(page.Locator("#storage tbody tr")).ToHaveCountAsync(2);

        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#plan tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#clean-result")).ToContainTextAsync("Preview: would clean 3 job(s)");

        await page.ClickAsync("#clean");
        await Assertions.Expect(page.Locator("#clean-result")).ToContainTextAsync("Cleaned 2 successful and 1 failed job(s)");
        await Assertions.Expect(page.Locator("#held-total")).Not.ToHaveTextAsync(heldBefore);
        await Assertions.Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(2); // the preview and the real run
        await Assertions.Expect(page.Locator("#chart polyline")).ToHaveCountAsync(1);

        var screenshot = Path.Combine(RepositoryPaths.Artifacts, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(external);
    }

    public void Dispose()
    {
        _host.Dispose();
        _profile.Dispose();
    }
}
