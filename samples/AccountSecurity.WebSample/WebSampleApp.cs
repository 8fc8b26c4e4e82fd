using AccountSecurity.Events;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.WebSample.Infrastructure;
using AccountSecurity.WebSample.Pages;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace AccountSecurity.WebSample;

/// <summary>Builds the web sample; tests call <see cref="Build"/> with their own overrides.</summary>
public static class WebSampleApp
{
    /// <summary>
    /// The default address: loopback only, never every interface. A name, not 127.0.0.1: WebAuthn needs a secure
    /// context (http://localhost is one) and a domain as the relying-party id, never an IP address.
    /// </summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>The configuration key of the origin passkeys are made for (<c>--Sample:PasskeyOrigin=http://localhost:5081</c>).</summary>
    public const string PasskeyOriginKey = "Sample:PasskeyOrigin";

    /// <summary>
    /// The configuration section of the abuse limits on the sign-in, reset and support PIN forms
    /// (<c>AccountSecurityRateLimitOptions</c>: <c>--Sample:RateLimits:SignInPerAccount:PermitLimit=5</c>); unset, the
    /// package's defaults apply.
    /// </summary>
    public const string RateLimitsKey = "Sample:RateLimits";

    /// <summary>
    /// Builds the app: services, the AccountSecurity.AspNetCore layer (session and pending cookies with per-request
    /// session validation, sign-in facade, policies), antiforgery on every POST, security headers and the pages. <paramref name="overrides"/> runs last, so a test can replace anything.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="overrides">Runs after the sample's registrations (tests replace services here).</param>
    /// <param name="endpoints">Runs after the sample's endpoints are mapped (tests add a failing endpoint here).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null, Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        var services = builder.Services;

        // The embedded default: one SQLite file (accounts survive restarts), no server to install.
        var storage = SampleStorage.From(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(storage);
        services.AddSingleton<DevOutbox>();
        services.AddSingleton<IPasswordResetTokenSender>(sp => sp.GetRequiredService<DevOutbox>());
        services.AddSingleton<DevNotificationOutbox>();
        services.AddSingleton<SessionEnded>();
        services.AddSingleton<ISecurityEventSink>(sp => sp.GetRequiredService<SessionEnded>());
        services.AddSingleton<ResourceCatalog>();
        services.AddSingleton<GroupStore>();
        services.AddSingleton<Flash>();
        services.AddSingleton<OneTimeDisplays>();

        // Breached-password screening against a small generated mirror (issue 29): the folder must exist before start.
        var breachMirror = BreachedPasswordDemo.MirrorDirectory(storage.DatabasePath);
        BreachedPasswordDemo.Write(breachMirror);
        services.AddAccountSecurity(options =>
            {
                options.Hashing.WorkFactor = 10;
                options.Totp.Issuer = "Example Cloud";
                options.SecretProtection.AddKey("websample", storage.LoadOrCreateKey());
            })
            .UseEntityFrameworkCore(db => db.UseSqlite(storage.ConnectionString))
            // Security notifications (password changed, 2FA off, passkey added, ...): the library renders them in the
            // user's language and calls the sender from its background queue; this demo sender keeps them for /dev/outbox.
            .AddSecurityNotificationSender<DevNotificationSender>()
            .AddAspNetCore(http =>
            {
                // The package's session and pending cookies (claims, per-request stamp check, ticket between the steps).
                http.Cookies.SessionCookieName = "as.session";
                http.Cookies.PendingCookieName = "as.pending";
                http.Cookies.PendingCookiePath = "/signin";
                http.Cookies.LoginPath = "/signin";

                // A signed-in user whom an administrator just forced to use 2FA (and who has none) sets it up here, in the session.
                http.Cookies.TwoFactorSetupPath = SecurityPages.RequiredSetupPath;

                // A signed-in user whose password turned up in a data breach changes it on the password card of
                // Password & Security, which says why; the pages and endpoints that change needs are marked
                // AllowDuringPasswordChange (the card's page and form, the step-up dialog), nothing else opens.
                http.Cookies.PasswordChangePath = SecurityPages.PasswordChangePath;

                // The abuse limits of the forms that check a secret or send a mail (the package's defaults unless configured).
                builder.Configuration.GetSection(RateLimitsKey).Bind(http.RateLimits);

                // A cookie rejected on a request (stamp changed, account deactivated) gets the page that says why.
                http.Cookies.OnSessionRejected = rejected => rejected.HttpContext.RequestServices.GetRequiredService<SessionEnded>().RememberAsync(rejected);
            })
            .AddPasskeys(passkeys =>
            {
                // The RP id is the origin's host (localhost here, the console's domain in production); the origin is
                // exactly what the browser reports, port included.
                var origin = new Uri(builder.Configuration[PasskeyOriginKey] is { Length: > 0 } configured ? configured : DefaultUrl);
                passkeys.RelyingPartyId = origin.Host;
                passkeys.RelyingPartyName = "Example Cloud";
                passkeys.Origins.Add(origin.GetLeftPart(UriPartial.Authority));
            })
            // New passwords in the data set are refused on every form; a sign-in with one marks the account, and the
            // package then sends the session to the change form (Cookies.PasswordChangePath).
            .AddBreachedPasswordCheck(breach =>
            {
                breach.MirrorDirectory = breachMirror;
                breach.PartialMirror = true;
                breach.CheckAtSignIn = true;
            });

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "as.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = FormFields.AntiforgeryField;
        });

        // The console's pages are Razor Pages (GET only: every form posts to an endpoint of its own that answers
        // with a redirect); their texts come from Resources/SharedTexts(.de).resx.
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            // English unless the browser prefers German or the user chose a language (the switch's cookie).
            options.SetDefaultCulture(ConsoleLanguages.Default).AddSupportedCultures(ConsoleLanguages.Supported).AddSupportedUICultures(ConsoleLanguages.Supported);
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        // German text stays readable in the markup (Razor encodes what HTML needs encoded, not every non-ASCII letter).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        // The pages live in this assembly, whichever assembly started the host (a test host starts it from its own).
        services.AddRazorPages().AddApplicationPart(typeof(WebSampleApp).Assembly);
        services.AddHostedService<DemoSeed>();

        overrides?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        app.UseRequestLocalization();
        ErrorPages.Use(app);
        app.UseAuthentication();
        app.UseMiddleware<RequireAntiforgeryOnPost>();
        app.UseAuthorization();

        app.MapGet("/", () => Respond.Redirect("/security"));
        app.MapRazorPages().Add(page => page.Metadata.Add(new HttpMethodMetadata([HttpMethods.Get])));
        app.MapGet("/static/console.css", Assets.ConsoleCss);
        app.MapGet("/favicon.ico", Assets.Favicon);
        SignInPages.Map(app);
        SecurityPages.Map(app);
        SessionPages.Map(app);
        UsersPages.Map(app);
        GroupPages.Map(app);
        SupportPinPages.Map(app);
        ResourcePages.Map(app);
        ResetPages.Map(app);
        PasskeyPages.Map(app);
        StepUpPages.Map(app);
        LanguagePages.Map(app);
        endpoints?.Invoke(app);
        return app;
    }

    /// <summary>The addresses Kestrel bound (with the real port when the configuration asked for port 0).</summary>
    public static IReadOnlyList<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
