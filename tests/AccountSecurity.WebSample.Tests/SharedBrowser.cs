using Microsoft.Playwright;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// One headless Chromium (from the Debian package; never a download) for the whole test assembly: every fixture and
/// viewport opens its own browser contexts — their own cookies and screen — in it, so no test sees another's session,
/// and the suite launches the browser once instead of once per fixture.
/// </summary>
[SetUpFixture]
public sealed class SharedBrowser
{
    /// <summary>Where the Debian package installs Chromium.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    /// <summary>The running browser, launched on first use (fixtures without a browser never start one).</summary>
    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
                });
            }

            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
            _browser = null;
        }

        _playwright?.Dispose();
        _playwright = null;
    }
}
