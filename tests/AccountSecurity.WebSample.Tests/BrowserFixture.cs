using System.Diagnostics;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Notifications;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using OtpNet;

namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// Starts the real web sample on Kestrel (http://localhost on a free port: WebAuthn refuses IP addresses, so passkey
/// tests need the name, and the app's passkey origin is set to match) once for the fixture, with a database of its own;
/// pages open in the <see cref="SharedBrowser"/>. Each test gets fresh browser contexts (their own cookies) on the
/// fixture's <see cref="Viewport"/>: a fixture that runs on both screens says
/// <c>[TestFixtureSource(typeof(Viewport), nameof(Viewport.Both))]</c> and passes its argument here.
/// </summary>
public abstract class BrowserFixture(Viewport viewport)
{
    private WebApplication? _app;
    private string? _databasePath;
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>The screen every page of this fixture opens on.</summary>
    protected Viewport Viewport { get; } = viewport;

    /// <summary>An endpoint the tests add that always throws, to see the console's 500 page.</summary>
    protected const string FailingPath = "/test/always-fails";

    /// <summary>
    /// Whether the app runs with the sample's own abuse limits (the package's defaults). Off for every fixture that is
    /// not about the limits: the suite signs in, resets and verifies from one address (localhost) far more often than
    /// a person would, so those fixtures raise the limits through the sample's configuration
    /// (<see cref="WebSampleApp.RateLimitsKey"/>) instead of switching the limiter off.
    /// </summary>
    protected virtual bool WithTheSamplesAbuseLimits => false;

    /// <summary>The app's clock (the real time until a test calls <see cref="AdjustableClock.Advance"/>).</summary>
    protected AdjustableClock Clock { get; } = new();

    /// <summary>The app's base address, e.g. http://localhost:40123.</summary>
    protected string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The running app's services (to provision users for a test, or ask the policy what it would say).</summary>
    protected IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is not running.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Expect(...) assertions have a timeout of their own (5 s by default), set once for the test assembly.
        Assertions.SetDefaultExpectTimeout((float)ActionTimeout.TotalMilliseconds);

        if (!File.Exists(SharedBrowser.ChromiumPath))
        {
            const string reason = "Chromium not installed: apt-get install chromium";
            if (Environment.GetEnvironmentVariable("ACCOUNTSECURITY_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Ignore(reason);
        }

        // A database (and key file) of its own for every run, removed afterwards.
        _databasePath = Path.Combine(Path.GetTempPath(), $"accountsecurity-websample-{Guid.NewGuid():N}.db");
        var origin = $"http://localhost:{FreePort()}";
        string[] args = ["--urls=" + origin, "--Sample:PasskeyOrigin=" + origin, "--Sample:Database=" + _databasePath];
        if (!WithTheSamplesAbuseLimits)
        {
            args = [.. args, .. RaisedAbuseLimits()];
        }

        _app = WebSampleApp.Build(args, services =>
            {
                services.PostConfigure<AccountSecurityOptions>(options =>
                {
                    // bcrypt at its production cost would make every sign-in of the suite slow; the flows are the same.
                    options.Hashing.WorkFactor = 4;
                    options.Hashing.AllowInsecureWorkFactorForTesting = true;
                });

                // The app's clock: real time until a test moves it forward (the step-up window closing).
                services.AddSingleton<TimeProvider>(Clock);
            },
            endpoints => endpoints.MapGet(FailingPath, IResult () => throw new InvalidOperationException("A test endpoint that always fails.")));
        await _app.StartAsync();
        if (!WithTheSamplesAbuseLimits)
        {
            _app.Services.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>().Value.RateLimits.SignInPerClient.PermitLimit
                .Should().Be(100000, "the sample binds its limits from {0}", WebSampleApp.RateLimitsKey);
        }

        BaseUrl = origin;
        _browser = await SharedBrowser.GetAsync();
    }

    /// <summary>Every abuse limit of the sample raised far beyond what a fixture's tests do in a window.</summary>
    private static IEnumerable<string> RaisedAbuseLimits() =>
        new[] { "SignInPerClient", "SignInPerAccount", "PasswordResetPerClient", "PasswordResetPerAccount", "SupportPinPerClient", "SupportPinPerAccount" }
            .Select(limit => $"--{WebSampleApp.RateLimitsKey}:{limit}:PermitLimit=100000");

    /// <summary>A loopback port nobody listens on now (Kestrel's port 0 cannot be used: the origin must be known before the app starts).</summary>
    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_databasePath is not null)
        {
            // SQLite pools connections; release them so the files can go.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _databasePath, _databasePath + ".key", _databasePath + "-wal", _databasePath + "-shm" })
            {
                File.Delete(file);
            }

            // The sample's generated breached-password mirror sits beside its database.
            var mirror = AccountSecurity.WebSample.Infrastructure.BreachedPasswordDemo.MirrorDirectory(_databasePath);
            if (Directory.Exists(mirror))
            {
                Directory.Delete(mirror, recursive: true);
            }
        }
    }

    [TearDown]
    public async Task CloseContextsAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        _contexts.Clear();
    }

    /// <summary>
    /// The ceiling of every Playwright action and of every <c>Expect</c> assertion (they wait on a condition and return
    /// as soon as it holds, so a generous ceiling costs nothing when the machine is idle): a CI run beside other work
    /// once timed out on a fixed 15 s (issue 27). The one place these ceilings are set.
    /// </summary>
    protected static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The ceiling of every navigation (a page load that includes a bcrypt check or a cold Razor view).</summary>
    protected static readonly TimeSpan NavigationTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A new page in a new browser context on the fixture's screen: its own cookie jar, like a separate device.</summary>
    protected Task<IPage> NewPageAsync() => NewPageAsync(Viewport);

    /// <summary>
    /// A new page in a new browser context on <paramref name="screen"/> (a phone is touch-driven and mobile-laid-out),
    /// with the browser's language <paramref name="locale"/> (its <c>Accept-Language</c>) when given.
    /// </summary>
    protected async Task<IPage> NewPageAsync(Viewport screen, string? locale = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            IsMobile = screen.IsPhone,
            HasTouch = screen.IsPhone,
            Locale = locale,
        });
        context.SetDefaultTimeout((float)ActionTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)NavigationTimeout.TotalMilliseconds);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Presses a button, link or summary as the fixture's user does: a tap on the phone (touch events, there is no
    /// mouse), a click on the desktop. Either waits until the target is visible, on screen and not covered, and, when
    /// the press opens another page, until that page has loaded.
    /// </summary>
    protected async Task PressAsync(ILocator target)
    {
        if (!Viewport.IsPhone)
        {
            await target.ClickAsync();
            return;
        }

        // A click waits for the navigation it starts; Playwright's tap does not (the page's click comes later, from
        // the touch gesture). The console is rendered on the server without scripts, so every link and submit button
        // opens a page: wait for it, or the test's next step would race (and abort) the navigation.
        var opensAPage = await target.EvaluateAsync<bool>(
            "e => !e.closest('summary, a[href^=\"#\"]') && !!e.closest('a[href], button:not([type=button]), input[type=submit]')");
        if (!opensAPage)
        {
            await target.TapAsync();
            return;
        }

        var page = target.Page;
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await target.TapAsync();
            await loaded.Task.WaitAsync(NavigationTimeout);
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>
    /// Opens a console section from its navigation (on the desktop the sidebar on the left, on a phone the row of
    /// links it collapses into above the content) and waits for the section's page.
    /// </summary>
    protected async Task OpenSectionAsync(IPage page, string section)
    {
        var link = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = section, Exact = true });
        await PressAsync(link);
        await Assertions.Expect(link).ToHaveAttributeAsync("aria-current", "page");
    }

    /// <summary>Asserts nothing on the page runs off the side of the fixture's screen.</summary>
    protected async Task ShouldFitTheScreenAsync(IPage page, string because = "")
    {
        var width = page.ViewportSize!.Width;
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(width, "{0} at {1} fits its {2} px ({3})", new Uri(page.Url).AbsolutePath, Viewport, width, because);
    }

    /// <summary>Creates a plain user of the demo contract (the owner acts) with a password of its own.</summary>
    protected async Task<(string Id, string Email, string Password)> CreateUserAsync(string prefix, UserRole role = UserRole.User)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..24];
        var email = id + "@example.com";
        const string password = "Plum-Lighthouse-Nebula-73";
        var provisioning = Services.GetRequiredService<IAccountProvisioningService>();
        var created = await provisioning.CreateUserAsync(DemoAccounts.Users[0].Id, new NewUser { UserId = id, Email = email, Role = role, InitialPassword = password });
        created.Succeeded.Should().BeTrue("the test user must be created ({0})", string.Join(", ", created.Errors.Select(e => e.Code)));
        return (id, email, password);
    }

    /// <summary>
    /// Adds a user to the demo group ("Operations"), which is granted the protected production data center: since
    /// groups (issue 27 item 10), a resource granted to a group is visible only to its members, the owner and administrators.
    /// </summary>
    protected async Task JoinDemoGroupAsync(string userId) =>
        (await Services.GetRequiredService<GroupStore>().AddMemberAsync(DemoAccounts.ContractId, DemoAccounts.Group.Id, userId, CancellationToken.None))
            .Should().Be(GroupChange.Done);

    /// <summary>The recovery codes <see cref="CreateUserWith2faAsync"/> received, by user id.</summary>
    protected Dictionary<string, IReadOnlyList<string>> RecoveryCodesOf { get; } = [];

    /// <summary>Creates a user with 2FA active (set up through the library, as the user would) and returns the TOTP secret.</summary>
    protected async Task<(string Id, string Email, string Password, byte[] Secret)> CreateUserWith2faAsync(string prefix, UserRole role = UserRole.User)
    {
        var (id, email, password) = await CreateUserAsync(prefix, role);
        return (id, email, password, await EnableTwoFactorAsync(id, password));
    }

    /// <summary>Sets up 2FA for an existing user (through the library, as the user would) and returns the TOTP secret.</summary>
    protected async Task<byte[]> EnableTwoFactorAsync(string id, string password)
    {
        using var scope = Services.CreateScope();
        var twoFactor = scope.ServiceProvider.GetRequiredService<ITwoFactorService>();
        var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(id), password);
        var secret = Base32Encoding.ToBytes(new Uri(setup.Value.OtpAuthUri).Query.Split("secret=")[1].Split('&')[0]);
        var confirmed = await twoFactor.ConfirmSetupAsync(id, new Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime));
        confirmed.Succeeded.Should().BeTrue();
        RecoveryCodesOf[id] = confirmed.Value.RecoveryCodes;
        return secret;
    }

    /// <summary>Whether <paramref name="userId"/> has 2FA active, asked of the library (not of a page).</summary>
    protected async Task<bool> TwoFactorEnabledAsync(string userId)
    {
        using var scope = Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ITwoFactorService>().GetStatusAsync(userId))!.IsEnabled;
    }

    /// <summary>Signs in with password and the next TOTP step's code (the setup spent the current one), at the app's time.</summary>
    protected async Task SignInWithCodeAsync(IPage page, string email, string password, byte[] secret)
    {
        await SubmitPasswordAsync(page, email, password);
        await page.WaitForURLAsync("**/signin/second-factor");
        // By the fields' names, not their labels: the same in every language of the console.
        var form = page.Locator("form:has(input[name=code])");
        await form.Locator("input[name=code]").FillAsync(new Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime.AddSeconds(30)));
        await PressAsync(form.Locator("button[type=submit]"));
        await page.GetByTestId("signed-in-as").WaitForAsync();
    }

    /// <summary>How long a security notification may take from the change to the outbox (the queue sends within milliseconds).</summary>
    protected static readonly TimeSpan MailDeadline = ActionTimeout;

    /// <summary>
    /// Opens /dev/outbox until <paramref name="count"/> mails of <paramref name="kind"/> to <paramref name="to"/> are
    /// there: the library sends from a background queue, so a mail appears a moment after the change. Each round is one
    /// page load (no fixed sleep); fails after <see cref="MailDeadline"/>.
    /// </summary>
    protected static async Task<ILocator> WaitForMailsAsync(IPage page, string to, SecurityNotificationKind kind, int count = 1)
    {
        var mails = page.Locator($"[data-testid=notification][data-kind={kind}]")
            .Filter(new() { Has = page.Locator("[data-testid=notification-to]", new() { HasText = to }) });
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync("/dev/outbox#notifications");
            if (await mails.CountAsync() >= count)
            {
                return mails;
            }

            if (waited.Elapsed > MailDeadline)
            {
                Assert.Fail($"No {kind} mail to {to} in the outbox after {MailDeadline.TotalSeconds} s.");
            }
        }
    }

    /// <summary>Types e-mail and password into the sign-in form and submits it.</summary>
    protected async Task SubmitPasswordAsync(IPage page, string email, string password)
    {
        // By the fields' names, not their labels: the same in every language of the console.
        await page.GotoAsync("/signin");
        var form = page.Locator("form[action='/signin']");
        await form.Locator("input[name=email]").FillAsync(email);
        await form.Locator("input[name=password]").FillAsync(password);
        await PressAsync(form.Locator("button[type=submit]"));
    }
}
