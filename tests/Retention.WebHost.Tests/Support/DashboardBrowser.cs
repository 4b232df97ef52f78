using Microsoft.Playwright;

namespace Retention.WebHost.Tests.Support;

/// <summary>
/// Debian's chromium (never a downloaded browser) on a fresh profile, with a page that records every request that leaves the
/// site, every console error and every response's size, and signs in to the sample's dashboard.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly TempTree _profile;

    private DashboardBrowser(IPlaywright playwright, IBrowserContext context, IPage page, TempTree profile, Uri site)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(site.ToString(), StringComparison.Ordinal))
            {
                External.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add(error);
        page.Response += (_, response) => Responses.Add(response);
    }

    public IPage Page { get; }

    public List<string> External { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    public List<IResponse> Responses { get; } = [];

    public static async Task<DashboardBrowser> OpenAsync(Uri site, int width = 1280, int height = 1000)
    {
        var playwright = await Playwright.CreateAsync();
        var profile = new TempTree();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Root, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new DashboardBrowser(playwright, context, page, profile, site);
    }

    /// <summary>Opens the site's root, which sends a browser to the sign-in page, signs in with the token, and waits for the dashboard's data.</summary>
    public async Task SignInAsync(Uri site, string token)
    {
        await Page.GotoAsync(site.ToString());
        await Page.FillAsync("#token", token);
        await Page.ClickAsync("#connect");
        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
    }

    /// <summary>Asserts that no request left the site and the console logged no error.</summary>
    public void AssertStayedOnSiteWithoutErrors()
    {
        Assert.True(External.Count == 0, "Requests left the site: " + string.Join(", ", External));
        Assert.True(ConsoleErrors.Count == 0, "Console errors: " + string.Join("\n", ConsoleErrors));
    }

    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(RepositoryPaths.Artifacts, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is too small to show the dashboard.");
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _playwright.Dispose();
        _profile.Dispose();
    }
}
