using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Elb.IntegrationTests.Console;

/// <summary>
/// Headless Chromium from Debian (<c>apt-get install chromium</c>; <c>./test.sh</c> installs it), driven by Playwright,
/// which cannot download browsers of its own here. Without it the console's tests fail: they never skip.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page, Uri address, ITestOutputHelper output)
    {
        (_playwright, _browser, Page, Address, _output) = (playwright, browser, page, address, output);
    }

    public IPage Page { get; }

    public Uri Address { get; }

    /// <summary>A browser on the console of the gateway listening at <paramref name="gateway"/>.</summary>
    public static async Task<ConsoleBrowser> OpenAsync(Uri gateway, ITestOutputHelper output)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The console's tests need Chromium at {ChromiumPath}: apt-get install chromium.");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var console = new ConsoleBrowser(playwright, browser, page, new Uri(gateway, "console/"), output);
        // A script error on a page is a failure of the console, whatever the page then shows.
        page.PageError += (_, error) => console._scriptErrors.Add(error);
        page.Console += (_, message) => output.WriteLine($"console.{message.Type}: {message.Text}");
        await page.GotoAsync(console.Address.ToString());
        return console;
    }

    private readonly List<string> _scriptErrors = [];

    public IReadOnlyList<string> ScriptErrors => _scriptErrors;

    public async Task SignInAsync(string user, string password, string project)
    {
        await Page.FillAsync("#password-form [name=user]", user);
        await Page.FillAsync("#password-form [name=password]", password);
        await Page.FillAsync("#password-form [name=project]", project);
        await Page.ClickAsync("#password-form button");
        await Assertions.Expect(Page.Locator("#who")).ToHaveTextAsync($"{user} · {project}");
    }

    public async Task SignInWithTokenAsync(string token, string project)
    {
        await Page.ClickAsync("#sign-in summary");
        await Page.FillAsync("#token-form [name=token]", token);
        await Page.FillAsync("#token-form [name=project]", project);
        await Page.ClickAsync("#token-form button");
        await Assertions.Expect(Page.Locator("#who")).ToHaveTextAsync($"token · {project}");
    }

    public async Task SearchAsync(string query)
    {
        await Page.FillAsync("#search-input", query);
        await Page.PressAsync("#search-input", "Enter");
    }

    /// <summary>
    /// Saves the whole page as <c>console-screenshots/{name}.png</c> in the test output, and with
    /// <c>ELB_WRITE_SCREENSHOTS=1</c> also as <c>docs/console/{name}.png</c>, the README's pictures.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "console-screenshots", $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _output.WriteLine($"screenshot: {path}");
        if (Environment.GetEnvironmentVariable("ELB_WRITE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryRoot(), "docs", "console", $"{name}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(path, docs, overwrite: true);
            _output.WriteLine($"screenshot: {docs}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Elb.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"No Elb.sln above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
