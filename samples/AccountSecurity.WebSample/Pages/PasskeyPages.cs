using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Passkeys;
using AccountSecurity.Passkeys.AspNetCore;
using AccountSecurity.Results;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Options;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// Passkeys (WebAuthn) in the console: the card on Password &amp; Security (list, add, rename, remove), the passkey
/// choices of the sign-in (alone, as the second step, as the forced setup) and the contract owner's switch for
/// signing in with a passkey alone. The package's <see cref="PasskeySignInManager"/> keeps the sign-in ticket in the
/// pending cookie and issues the session cookie; these pages only carry the ceremony between library and browser.
/// </summary>
public static class PasskeyPages
{
    /// <summary>The purpose under which a started registration (its options and name) waits for the ceremony page.</summary>
    private const string AddDisplay = "passkey-add";

    private const string DefaultName = "Passkey";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        MapSecurity(app.MapGroup("/security/passkeys").RequireAuthorization(AccountSecurityPolicies.SignedIn));
        MapSignIn(app);
        app.MapPost("/users/passkey-sign-in", async Task<IResult> (HttpContext context, IPasskeyService passkeys, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            // The library allows only the contract owner; the page offers the switch only to them.
            var allowed = string.Equals(await Forms.FieldAsync(context, "allowed"), "true", StringComparison.Ordinal);
            var result = await passkeys.SetPasswordlessSignInAllowedAsync(session, allowed, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/users#passkey-sign-in", allowed
                    ? "Users of your contract can now sign in with a passkey alone (the passkey checks their PIN, fingerprint or face). Such a sign-in counts as two-factor."
                    : "Signing in with a passkey alone is switched off: users sign in with their password, and a passkey serves as their second step.")
                : flash.Errors(context, "/users#passkey-sign-in", "passkey-sign-in", SecurityPages.Messages(result));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
    }

    /// <summary>The "Passkeys" card of Password &amp; Security.</summary>
    public static async Task<HtmlContent> CardAsync(HttpContext context, IReadOnlyList<string> errors)
    {
        var passkeys = await context.RequestServices.GetRequiredService<PasskeySignInManager>().ListAsync(context.RequestAborted);
        var list = passkeys.Count == 0
            ? Html.Of($"<p class=\"muted\" data-testid=\"no-passkeys\">You have no passkeys yet.</p>")
            : Html.Of($"<ul class=\"passkeys\" data-testid=\"passkeys\">{Html.Join(passkeys.Select(p => Item(context, p)))}</ul>");
        return Html.Of($"""
            <section class="card" id="passkeys" aria-labelledby="passkeys-title">
              <h2 id="passkeys-title">Passkeys</h2>
              <p class="muted">A passkey signs you in with your device's screen lock (PIN, fingerprint or face) and cannot be phished. After your password it serves as the second step, like a code from your authenticator app; where your contract allows it, it signs you in alone.</p>
              {Layout.Errors(errors)}
              {list}
              <h3>Add a passkey</h3>
              <form method="post" action="/security/passkeys" class="stack" data-testid="add-passkey">
                {Forms.Antiforgery(context)}
                <label>Current password <input type="password" name="currentPassword" autocomplete="current-password" required></label>
                <label>Name of the passkey <input type="text" name="name" value="{DefaultName}" maxlength="64" autocomplete="off" required></label>
                <button type="submit">Add a passkey</button>
              </form>
            </section>
            """);
    }

    /// <summary>The passwordless choice of the sign-in page (a ceremony any passkey of this site answers).</summary>
    public static async Task<HtmlContent> PasswordlessAsync(HttpContext context, IReadOnlyList<string> errors)
    {
        var started = await context.RequestServices.GetRequiredService<PasskeySignInManager>().BeginPasswordlessAsync(context.RequestAborted);
        if (!started.Succeeded)
        {
            return HtmlContent.Empty;
        }

        return Html.Of($"""
            <section class="passkey-choice" aria-labelledby="passkey-signin-title">
              <h2 id="passkey-signin-title" class="or">Or</h2>
              {Layout.Errors(errors)}
              {PasskeyView.Form(context, PasskeyView.Ceremony.Get, started.Value!, "/signin/passkey", "Sign in with a passkey", "passkey-sign-in", primary: false)}
              {PasskeyView.Script(context)}
            </section>
            """);
    }

    /// <summary>The passkey choice beside the code of the second step; nothing when the account has no passkey.</summary>
    public static async Task<HtmlContent> SecondFactorAsync(HttpContext context, IReadOnlyList<string> errors)
    {
        var started = await context.RequestServices.GetRequiredService<PasskeySignInManager>().BeginSecondFactorAsync(context.RequestAborted);
        if (!started.Succeeded)
        {
            // The library starts no ceremony for an account without passkeys (or a ticket that expired, which the
            // code form reports when it is sent).
            return HtmlContent.Empty;
        }

        return Html.Of($"""
            <section class="passkey-choice" aria-labelledby="passkey-step-title">
              <h2 id="passkey-step-title" class="or">Or use a passkey</h2>
              {Layout.Errors(errors)}
              {PasskeyView.Form(context, PasskeyView.Ceremony.Get, started.Value!, "/signin/second-factor/passkey", "Use a passkey", "passkey-second-factor", primary: errors.Count > 0)}
              {PasskeyView.Script(context)}
            </section>
            """);
    }

    /// <summary>The way from the forced authenticator-app setup to a passkey.</summary>
    public static HtmlContent SetupChoice() => Html.Of($"""
        <p class="passkey-choice"><a class="button" href="/signin/setup/passkey" data-testid="setup-with-passkey">Use a passkey instead</a></p>
        """);

    private static void MapSecurity(RouteGroupBuilder group)
    {
        group.MapPost("/", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var started = await passkeys.BeginRegistrationAsync(form["currentPassword"], context.RequestAborted);
            if (!started.Succeeded)
            {
                return flash.Errors(context, "/security#passkeys", "passkeys", PasskeyView.ChangeFailure(started));
            }

            // The options are not secret, but they wait server-side like the authenticator setup: the page that runs the
            // ceremony is reached by a redirect, so a reload never re-sends the password.
            var name = form["name"].ToString().Trim();
            displays.Put(context, session.UserId, AddDisplay, new PasskeyToAdd(started.Value!.OptionsJson, name.Length == 0 ? DefaultName : name));
            return Respond.SeeOther("/security/passkeys/add");
        }).AllowDuringTwoFactorSetup();

        group.MapGet("/add", async Task<IResult> (HttpContext context, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, var user))
            {
                return Respond.Redirect("/session-ended");
            }

            if (displays.Peek<PasskeyToAdd>(context, session.UserId, AddDisplay) is not { } adding)
            {
                return flash.Notice(context, "/security#passkeys", "Adding the passkey took too long. Start again with \"Add a passkey\".");
            }

            var ceremony = new PasskeyCeremony(adding.OptionsJson, State: null);
            return new HtmlPageResult(Layout.Console(context, user, "security", "Add a passkey", Html.Of($"""
                <section class="card narrow" aria-labelledby="add-passkey-title">
                  <h2 id="add-passkey-title">Create the passkey "{adding.Name}"</h2>
                  <p>Your browser now asks you to create a passkey for Example Cloud: on this device (its screen lock), on your phone, or on a security key. Unless you untick the choice below, your other sessions are signed out once it is added.</p>
                  {PasskeyView.Form(context, PasskeyView.Ceremony.Create, ceremony, "/security/passkeys/complete", "Create the passkey", "create-passkey", [("name", adding.Name)], visible: SessionPages.EndOthersCheckbox("passkey-add"))}
                  <p class="muted"><a href="/security#passkeys">Cancel</a></p>
                </section>
                {PasskeyView.Script(context)}
                """)));
        }).AllowDuringTwoFactorSetup();

        group.MapPost("/complete", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, OneTimeDisplays displays) =>
        {
            if (CurrentUser.Session(context) is null)
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var endOthers = SessionPages.EndOthersRequested(form);
            var added = await passkeys.CompleteRegistrationAsync(form["response"], form["name"], endOthers, context.RequestAborted);
            displays.Remove(context, AddDisplay);
            return added.Succeeded
                ? flash.Notice(context, "/security#passkeys", $"The passkey \"{added.Value!.Passkey.Name}\" is added. Use it as the second step after your password. {SessionPages.OthersAfterChange(endOthers)}")
                : flash.Errors(context, "/security#passkeys", "passkeys", PasskeyView.ChangeFailure(added));
        }).AllowDuringTwoFactorSetup();

        group.MapPost("/rename", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var renamed = await passkeys.RenameAsync(form["credentialId"], form["name"].ToString().Trim(), context.RequestAborted);
            return renamed.Succeeded
                ? flash.Notice(context, "/security#passkeys", "The passkey is renamed.")
                : flash.Errors(context, "/security#passkeys", "passkeys", PasskeyView.ChangeFailure(renamed));
        });

        group.MapPost("/remove", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var endOthers = SessionPages.EndOthersRequested(form);
            var removed = await passkeys.RemoveAsync(form["credentialId"], form["currentPassword"], endOthers, context.RequestAborted);
            return removed.Succeeded
                ? flash.Notice(context, "/security#passkeys", $"The passkey \"{removed.Value!.Passkey.Name}\" is removed; it no longer signs you in. {SessionPages.OthersAfterChange(endOthers)} Remove it from your device too (its password manager or security settings).")
                : flash.Errors(context, "/security#passkeys", "passkeys", PasskeyView.ChangeFailure(removed));
        });
    }

    private static void MapSignIn(WebApplication app)
    {
        app.MapPost("/signin/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, account: null, "/signin") is { } refused)
            {
                return refused;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = (await passkeys.PasswordlessSignInAsync(form["state"], form["response"], context.RequestAborted)).ForDisplay(layer.Value, SecurityErrorCodes.PasskeyResponseInvalid);
            if (result.Succeeded)
            {
                SessionEnded.Clear(context);
                return Respond.SeeOther("/security");
            }

            return flash.Errors(context, "/signin", "passkey", [PasskeyView.SignInFailure(result)]);
        });

        app.MapPost("/signin/second-factor/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, account: null, "/signin/second-factor") is { } refused)
            {
                return refused;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = (await passkeys.SecondFactorSignInAsync(form["state"], form["response"], context.RequestAborted)).ForDisplay(layer.Value, SecurityErrorCodes.PasskeyResponseInvalid);
            if (result.Succeeded)
            {
                SessionEnded.Clear(context);
                return Respond.SeeOther("/security");
            }

            return result.ErrorCode == SecurityErrorCodes.InvalidTicket
                ? Respond.SeeOther("/signin?m=expired")
                : flash.Errors(context, "/signin/second-factor", "passkey", [PasskeyView.SignInFailure(result)]);
        });

        app.MapGet("/signin/setup/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash) =>
        {
            var started = await passkeys.BeginSetupAsync(context.RequestAborted);
            if (!started.Succeeded)
            {
                // No pending setup (or its ticket expired in the library): the sign-in starts over.
                return Respond.Redirect("/signin?m=expired");
            }

            var data = flash.Take(context);
            var name = Html.Of($"<label>Name of the passkey <input type=\"text\" name=\"name\" value=\"{DefaultName}\" maxlength=\"64\" autocomplete=\"off\" required></label>");
            return new HtmlPageResult(Layout.Bare("Set up a passkey", Html.Of($"""
                <p>Your administrator requires two-factor authentication for your account. A passkey satisfies it: your browser asks you to create one on this device (its screen lock), on your phone, or on a security key.</p>
                {Layout.Errors(data.ErrorsOf("setup-passkey"))}
                {PasskeyView.Form(context, PasskeyView.Ceremony.Create, started.Value!, "/signin/setup/passkey", "Create the passkey and sign in", "setup-create-passkey", visible: name)}
                {PasskeyView.Script(context)}
                <p class="muted"><a href="/signin/setup">Use an authenticator app instead</a></p>
                """)));
        });

        app.MapPost("/signin/setup/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            if (AbuseLimits.Refusal(context, AbuseOperation.SignIn, account: null, "/signin/setup/passkey") is { } refused)
            {
                return refused;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = (await passkeys.SetupSignInAsync(form["response"], form["name"].ToString().Trim(), context.RequestAborted)).ForDisplay(layer.Value, SecurityErrorCodes.PasskeyResponseInvalid);
            if (result.Succeeded)
            {
                SessionEnded.Clear(context);
                return flash.Notice(context, "/security#passkeys", "Your passkey is set up and you are signed in. Next time, sign in with your password and then your passkey.");
            }

            return result.ErrorCode == SecurityErrorCodes.InvalidTicket
                ? Respond.SeeOther("/signin?m=expired")
                : flash.Errors(context, "/signin/setup/passkey", "setup-passkey", [PasskeyView.SignInFailure(result)]);
        });
    }

    /// <summary>The owner's switch for signing in with a passkey alone, on Users &amp; Groups beside the password policy.</summary>
    public static async Task<HtmlContent> OwnerSwitchAsync(HttpContext context, UserSummary acting, FlashData data)
    {
        if (acting.Role != UserRole.ContractOwner)
        {
            return Html.Of($"<section class=\"card\" id=\"passkey-sign-in\"><h2>Sign-in with a passkey alone</h2><p class=\"muted\">Only the contract owner can allow signing in with a passkey alone.</p></section>");
        }

        var allowed = await context.RequestServices.GetRequiredService<IPasskeyService>().IsPasswordlessSignInAllowedAsync(acting.ContractId, context.RequestAborted);
        return Html.Of($"""
            <section class="card" id="passkey-sign-in" aria-labelledby="passkey-sign-in-title">
              <h2 id="passkey-sign-in-title">Sign-in with a passkey alone</h2>
              <p class="muted">Status: <span class="badge {(allowed ? "on" : "off")}" data-testid="passwordless-status">{(allowed ? "Allowed" : "Not allowed")}</span></p>
              <p class="muted">A passkey that checks the user's PIN, fingerprint or face is two factors in one: allowed, it signs users in without their password, and the session counts as signed in with two-factor authentication. Otherwise a passkey serves only as the second step after the password.</p>
              {Layout.Errors(data.ErrorsOf("passkey-sign-in"))}
              <form method="post" action="/users/passkey-sign-in" class="stack">
                {Forms.Antiforgery(context)}
                <label class="check"><input type="checkbox" name="allowed" value="true"{Html.If(allowed, HtmlContent.Trusted(" checked"))}> Allow sign-in with a passkey alone</label>
                <button type="submit" class="primary">Save passkey sign-in</button>
              </form>
            </section>
            """);
    }

    private static HtmlContent Item(HttpContext context, PasskeySummary passkey)
    {
        static string When(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var kind = passkey.IsSynced
            ? Html.Of($"<span class=\"badge on\">Synced</span>")
            : Html.Of($"<span class=\"badge off\">This device only</span>");
        return Html.Of($"""
            <li class="passkey" data-testid="passkey" data-name="{passkey.Name}">
              <p><strong class="passkey-name">{passkey.Name}</strong> {kind}</p>
              <p class="muted">Added {When(passkey.CreatedAt)} · last used {(passkey.LastUsedAt is { } used ? When(used) : "never")}</p>
              <details>
                <summary aria-label="Rename the passkey {passkey.Name}">Rename</summary>
                <form method="post" action="/security/passkeys/rename" class="stack">
                  {Forms.Antiforgery(context)}
                  <input type="hidden" name="credentialId" value="{passkey.CredentialId}">
                  <label>New name <input type="text" name="name" value="{passkey.Name}" maxlength="64" autocomplete="off" required></label>
                  <button type="submit">Rename</button>
                </form>
              </details>
              <details>
                <summary aria-label="Remove the passkey {passkey.Name}">Remove</summary>
                <form method="post" action="/security/passkeys/remove" class="stack">
                  {Forms.Antiforgery(context)}
                  <input type="hidden" name="credentialId" value="{passkey.CredentialId}">
                  <label>Current password <input type="password" name="currentPassword" autocomplete="current-password" required></label>
                  {SessionPages.EndOthersCheckbox("passkey-remove")}
                  <button type="submit" class="danger">Remove passkey</button>
                </form>
              </details>
            </li>
            """);
    }
}

/// <summary>A started registration waiting for its ceremony page (server memory, bound to the user).</summary>
/// <param name="OptionsJson">The creation options for the browser.</param>
/// <param name="Name">The name the user chose.</param>
public sealed record PasskeyToAdd(string OptionsJson, string Name);
