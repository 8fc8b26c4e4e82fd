using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// "Devices and sessions" on Password &amp; Security (the user's live sessions, one signed out at a time or all others
/// at once), the "Sign out of all other sessions" choice of every credential change, and the contract's session policy
/// beside the password policy on Users &amp; Groups (the owner sets it). The list shows no secret: a session's id is
/// its public half (the cookie's secret never leaves the store's hash), and the address is the anonymised one.
/// </summary>
public static class SessionPages
{
    /// <summary>The name of the "Sign out of all other sessions" checkbox of every credential change.</summary>
    public const string EndOthersField = "endOtherSessions";

    /// <summary>The flash key of the session policy form's general errors; a field's errors go under <c>session-policy.{field}</c>.</summary>
    internal const string PolicyForm = "session-policy";

    private static readonly string[] PolicyFields = ["idleTimeout", "absoluteLifetime", "maxSessionsPerUser"];

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/security/sessions").RequireAuthorization(AccountSecurityPolicies.SignedIn);

        group.MapPost("/{sessionId}/end", async Task<IResult> (HttpContext context, string sessionId, ISessionService sessions, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (CurrentUser.Session(context) is not { } session)
            {
                return Respond.SeeOther("/session-ended");
            }

            if (string.Equals(sessionId, session.SessionId, StringComparison.Ordinal))
            {
                // Ending this very session is signing out (the row of this device offers the sign-out form, but a
                // hand-made post lands here): the server-side session and its cookie go together.
                await signIn.SignOutAsync();
                return Respond.SeeOther("/signin?m=signed-out");
            }

            var ended = await sessions.EndAsync(session.UserId, sessionId, context.RequestAborted);
            return ended.Succeeded
                ? flash.Notice(context, "/security#sessions", "That session is signed out. Its next page asks for a sign-in.")
                : flash.Errors(context, "/security#sessions", "sessions", ["That session has already ended (signed out, timed out or replaced by a newer sign-in). The list below is up to date."]);
        });

        group.MapPost("/end-others", async Task<IResult> (HttpContext context, AccountSecuritySignInManager signIn, Flash flash) =>
        {
            if (CurrentUser.Session(context) is null)
            {
                return Respond.SeeOther("/session-ended");
            }

            var count = await signIn.EndOtherSessionsAsync();
            return flash.Notice(context, "/security#sessions", count switch
            {
                0 => "There were no other sessions to sign out. This one stays signed in.",
                1 => "1 other session is signed out. This one stays signed in.",
                _ => ConsoleText.Of("{0} other sessions are signed out. This one stays signed in.", count),
            });
        });

        app.MapPost("/users/session-policy", async Task<IResult> (HttpContext context, ISessionService sessions, Flash flash) =>
        {
            var caller = await UsersPages.AdminAsync(context);
            if (caller is not (var acting, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var typed = PolicyFields.ToDictionary(f => f, f => Truncate(form[f].ToString()), StringComparer.Ordinal);
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            void Add(string key, string message)
            {
                if (!errors.TryGetValue(key, out var list))
                {
                    errors[key] = list = [];
                }

                list.Add(message);
            }

            var idle = ReadNumber(form["idleTimeout"]);
            var lifetime = ReadNumber(form["absoluteLifetime"]);
            var max = int.TryParse(form["maxSessionsPerUser"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMax) ? parsedMax : (int?)null;
            if (idle is null)
            {
                Add(PolicyForm + ".idleTimeout", "Enter the idle timeout in whole minutes.");
            }

            if (lifetime is null)
            {
                Add(PolicyForm + ".absoluteLifetime", "Enter the session lifetime in hours (for example 12 or 1.5).");
            }

            if (max is null)
            {
                Add(PolicyForm + ".maxSessionsPerUser", "Enter the number of sessions as a whole number.");
            }

            if (errors.Count == 0)
            {
                var settings = new SessionPolicySettings(
                    TimeSpan.FromMinutes(Math.Round(idle!.Value)),
                    TimeSpan.FromMinutes(Math.Round(lifetime!.Value * 60)),
                    max);
                var result = await sessions.SetPolicyAsync(context.User.GetRequiredAccountSecuritySession(), settings, context.RequestAborted);
                if (StepUp.Expired(context, flash, result, "/users#session-policy") is { } expired)
                {
                    return expired;
                }

                if (result.Succeeded)
                {
                    return flash.Notice(context, "/users#session-policy", "The session policy of the contract is saved. It applies to sessions that begin from now on; open sessions keep the limits they began with.");
                }

                foreach (var error in result.Errors)
                {
                    // A field's error is shown at its field; anything else (not allowed) above the form.
                    Add(error.Field is { } field && PolicyFields.Contains(field, StringComparer.Ordinal) ? PolicyForm + "." + field : PolicyForm, error.Message);
                }
            }

            Add(PolicyForm, "Nothing was saved. Correct the marked values and save again.");
            return flash.Redirect(context, "/users#session-policy", new FlashData { Errors = errors, Values = typed });
        });
    }

    /// <summary>Whether the posted form asks to end the other sessions (the checkbox sends a value only when ticked).</summary>
    public static bool EndOthersRequested(IFormCollection form) => string.Equals(form[EndOthersField], "true", StringComparison.Ordinal);

    /// <summary>The notice after a credential change, saying what became of the other sessions.</summary>
    public static string OthersAfterChange(bool ended) => ended
        ? "Your other sessions have been signed out; this one stays signed in."
        : "Your other sessions stay signed in, as you chose. You can sign them out under Devices and sessions.";

    /// <summary>The "Devices and sessions" card of the signed-in user.</summary>
    public static async Task<SessionsCard> CardAsync(HttpContext context, UserSummary user, AuthenticatedSession session, IReadOnlyList<string> errors)
    {
        var sessions = context.RequestServices.GetRequiredService<ISessionService>();
        var list = await sessions.ListAsync(user.Id, session.SessionId, context.RequestAborted);
        var policy = await sessions.GetEffectivePolicyAsync(user.ContractId, context.RequestAborted);
        return new SessionsCard([.. list.OrderByDescending(s => s.IsCurrent).ThenByDescending(s => s.LastSeenAt)], policy, errors);
    }

    /// <summary>The session policy card of Users &amp; Groups: a form for the owner, the values in force for an administrator.</summary>
    public static async Task<SessionPolicyCard> PolicyCardAsync(HttpContext context, UserSummary acting, FlashData data)
    {
        var services = context.RequestServices;
        var policy = await services.GetRequiredService<ISessionService>().GetEffectivePolicyAsync(acting.ContractId, context.RequestAborted);
        var bounds = services.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Sessions;
        return new SessionPolicyCard(acting.Role == UserRole.ContractOwner, policy, bounds, data);
    }

    /// <summary>How a session was signed in, from its <c>amr</c> values, in words (a key of the console's texts).</summary>
    public static string Methods(IReadOnlyCollection<string> methods)
    {
        var passkey = methods.Contains(AuthenticationMethods.HardwareKey) || methods.Contains(AuthenticationMethods.SoftwareKey);
        var kind = methods.Contains(AuthenticationMethods.HardwareKey) ? "Passkey (this device)" : "Passkey";
        if (!methods.Contains(AuthenticationMethods.Password))
        {
            return passkey ? kind : "Unknown";
        }

        return methods.Contains(AuthenticationMethods.Otp) ? "Password + authenticator app"
            : methods.Contains(AuthenticationMethods.RecoveryCode) ? "Password + recovery code"
            : passkey ? "Password + passkey"
            : "Password";
    }

    /// <summary>A number as the policy form shows it (up to two decimals, invariant: the input is type=number).</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A duration in words, in the language of <paramref name="texts"/>.</summary>
    public static string Duration(TimeSpan span, IStringLocalizer texts) =>
        span.TotalMinutes < 120 && span.TotalMinutes % 60 != 0 ? texts["{0} minutes", span.TotalMinutes.ToString("0", CultureInfo.CurrentCulture)]
        : span.TotalHours == 1 ? texts["1 hour"]
        : texts["{0} hours", span.TotalHours.ToString("0.##", CultureInfo.CurrentCulture)];

    private static double? ReadNumber(string? text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 10_000_000 ? value : null;

    private static string Truncate(string value) => value.Length > 12 ? value[..12] : value;
}

/// <summary>What <c>_SessionsCard.cshtml</c> shows.</summary>
/// <param name="Sessions">The user's sessions, this one first.</param>
/// <param name="Policy">The limits in force.</param>
/// <param name="Errors">The messages of the last action.</param>
public sealed record SessionsCard(IReadOnlyList<SessionSummary> Sessions, EffectiveSessionPolicy Policy, IReadOnlyList<string> Errors);

/// <summary>What <c>_SessionPolicyCard.cshtml</c> shows.</summary>
/// <param name="IsOwner">Whether the reader may change it (the form) or only read it.</param>
/// <param name="Policy">The policy in force.</param>
/// <param name="Bounds">The host's bounds of every value.</param>
/// <param name="Data">The flash of the last save (typed values, errors per field).</param>
public sealed record SessionPolicyCard(bool IsOwner, EffectiveSessionPolicy Policy, AccountSecurity.Sessions.SessionOptions Bounds, FlashData Data);
