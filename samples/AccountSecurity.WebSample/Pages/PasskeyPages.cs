using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authentication;
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
    internal const string AddDisplay = "passkey-add";

    /// <summary>The name a new passkey gets unless the user types another.</summary>
    internal const string DefaultName = "Passkey";

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
            var allowed = string.Equals(await FormFields.FieldAsync(context, "allowed"), "true", StringComparison.Ordinal);
            var result = await passkeys.SetPasswordlessSignInAllowedAsync(session, allowed, context.RequestAborted);
            if (StepUp.Expired(context, flash, result, "/users#passkey-sign-in") is { } expired)
            {
                return expired;
            }

            return result.Succeeded
                ? flash.Notice(context, "/users#passkey-sign-in", allowed
                    ? "Users of your contract can now sign in with a passkey alone (the passkey checks their PIN, fingerprint or face). Such a sign-in counts as two-factor."
                    : "Signing in with a passkey alone is switched off: users sign in with their password, and a passkey serves as their second step.")
                : flash.Errors(context, "/users#passkey-sign-in", "passkey-sign-in", SecurityPages.Messages(result));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
    }

    /// <summary>The passkeys of the signed-in user, for the "Passkeys" card of Password &amp; Security.</summary>
    public static async Task<IReadOnlyList<PasskeySummary>> ListAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<PasskeySignInManager>().ListAsync(context.RequestAborted);

    /// <summary>The passwordless choice of the sign-in page (a ceremony any passkey of this site answers), or <see langword="null"/>.</summary>
    public static async Task<PasskeyForm?> PasswordlessAsync(HttpContext context)
    {
        var started = await context.RequestServices.GetRequiredService<PasskeySignInManager>().BeginPasswordlessAsync(context.RequestAborted);
        return started.Succeeded
            ? new PasskeyForm(PasskeyView.Ceremony.Get, started.Value!, "/signin/passkey", "Sign in with a passkey", "passkey-sign-in", [], Primary: false)
            : null;
    }

    /// <summary>The passkey choice beside the code of the second step; <see langword="null"/> when the account has no passkey.</summary>
    public static async Task<PasskeyForm?> SecondFactorAsync(HttpContext context, bool primary)
    {
        // The library starts no ceremony for an account without passkeys (or a ticket that expired, which the code
        // form reports when it is sent).
        var started = await context.RequestServices.GetRequiredService<PasskeySignInManager>().BeginSecondFactorAsync(context.RequestAborted);
        return started.Succeeded
            ? new PasskeyForm(PasskeyView.Ceremony.Get, started.Value!, "/signin/second-factor/passkey", "Use a passkey", "passkey-second-factor", [], Primary: primary)
            : null;
    }

    private static void MapSecurity(RouteGroupBuilder group)
    {
        group.MapPost("/", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, OneTimeDisplays displays) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var started = await passkeys.BeginRegistrationAsync(SecurityPages.Proof(form["currentPassword"]), context.RequestAborted);
            if (!started.Succeeded)
            {
                var from = context.User.IsTwoFactorSetupRequired() ? SecurityPages.RequiredSetupPath : "/security#passkeys";
                return StepUp.Expired(context, flash, started, from) ?? flash.Errors(context, from, "passkeys", PasskeyView.ChangeFailure(started));
            }

            // The options are not secret, but they wait server-side like the authenticator setup: the page that runs the
            // ceremony is reached by a redirect, so a reload never re-sends the password.
            var name = form["name"].ToString().Trim();
            displays.Put(context, session.UserId, AddDisplay, new PasskeyToAdd(started.Value!.OptionsJson, name.Length == 0 ? DefaultName : name));
            return Respond.SeeOther("/security/passkeys/add");
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
            if (StepUp.Expired(context, flash, added, "/security#passkeys") is { } expired)
            {
                return expired;
            }

            return added.Succeeded
                ? flash.Notice(context, "/security#passkeys", ConsoleText.Of("The passkey \"{0}\" is added. Use it as the second step after your password. {1}", added.Value!.Passkey.Name, ConsoleText.Of(SessionPages.OthersAfterChange(endOthers))))
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
            var removed = await passkeys.RemoveAsync(form["credentialId"], SecurityPages.Proof(form["currentPassword"]), endOthers, context.RequestAborted);
            if (StepUp.Expired(context, flash, removed, "/security#passkeys") is { } expired)
            {
                return expired;
            }

            return removed.Succeeded
                ? flash.Notice(context, "/security#passkeys", ConsoleText.Of("The passkey \"{0}\" is removed; it no longer signs you in. {1} Remove it from your device too (its password manager or security settings).", removed.Value!.Passkey.Name, ConsoleText.Of(SessionPages.OthersAfterChange(endOthers))))
                : flash.Errors(context, "/security#passkeys", "passkeys", PasskeyView.ChangeFailure(removed));
        });
    }

    private static void MapSignIn(WebApplication app)
    {
        app.MapPost("/signin/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, account: null, "/signin") is { } refused)
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
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, account: null, "/signin/second-factor") is { } refused)
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

        app.MapPost("/signin/setup/passkey", async Task<IResult> (HttpContext context, PasskeySignInManager passkeys, Flash flash, IOptions<AccountSecurityAspNetCoreOptions> layer) =>
        {
            if (await AbuseLimits.RefusalAsync(context, AbuseOperation.SignIn, account: null, "/signin/setup/passkey") is { } refused)
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

    /// <summary>
    /// The owner's switch for signing in with a passkey alone, on Users &amp; Groups beside the password policy:
    /// whether it is on now (<see langword="null"/> for anyone but the owner, who may not switch it).
    /// </summary>
    public static async Task<bool?> PasswordlessAllowedAsync(HttpContext context, UserSummary acting) =>
        acting.Role != UserRole.ContractOwner
            ? null
            : await context.RequestServices.GetRequiredService<IPasskeyService>().IsPasswordlessSignInAllowedAsync(acting.ContractId, context.RequestAborted);
}

/// <summary>A started registration waiting for its ceremony page (server memory, bound to the user).</summary>
/// <param name="OptionsJson">The creation options for the browser.</param>
/// <param name="Name">The name the user chose.</param>
public sealed record PasskeyToAdd(string OptionsJson, string Name);
