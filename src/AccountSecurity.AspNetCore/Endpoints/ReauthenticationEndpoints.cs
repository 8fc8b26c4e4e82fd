using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.AspNetCore.Routing.AccountSecurityEndpointRouteBuilderExtensions;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// Step-up re-authentication over the JSON API (OWASP ASVS 5.0 V7.5.1, V7.5.3): the signed-in user confirms it is them
/// (password, plus the authenticator code when it is on), and for the window afterwards every sensitive change of the
/// session is accepted without a password in its request. A sensitive change that is neither answers 401 with the problem
/// type <see cref="Problems.ReauthenticationRequiredType"/>; a client then asks <c>GET /reauthentication</c> which way
/// to prompt for, re-authenticates and repeats the change. The passkey way is in the passkeys package.
/// </summary>
internal static class ReauthenticationEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/reauthentication", StatusAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(ApiOperations.ReauthenticationStatus);
        group.MapPost("/reauthentication", Antiforgery(ReauthenticateAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(ApiOperations.Reauthenticate);
    }

    private static async Task StatusAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var status = await Service(context).GetStatusAsync(session, context.RequestAborted).ConfigureAwait(false);
        if (!status.Succeeded)
        {
            await Problems.FromResultAsync(context, status).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new ReauthenticationStatusResponse { Fresh = status.Value!.IsFresh, FreshUntil = status.Value.FreshUntil, Methods = status.Value.Methods },
            AccountSecurityJsonContext.Default.ReauthenticationStatusResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ReauthenticateAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.ReauthenticateRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var session = context.User.GetRequiredAccountSecuritySession();

        // Guessing a password through a stolen session is guessing it at the sign-in: the same abuse limits, per client and per account.
        if (!await WithinLimitsAsync(context, AbuseOperation.SignIn, session.UserId).ConfigureAwait(false))
        {
            return;
        }

        var result = await Service(context).ReauthenticateAsync(session, body.Password, body.Code, context.RequestAborted).ConfigureAwait(false);
        await AnswerAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>A completed re-authentication: 200 with until when it stands; otherwise its problem.</summary>
    internal static async Task AnswerAsync(HttpContext context, SecurityResult<Reauthenticated> result)
    {
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new ReauthenticatedResponse { FreshUntil = result.Value!.FreshUntil },
            AccountSecurityJsonContext.Default.ReauthenticatedResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static IReauthenticationService Service(HttpContext context) => context.RequestServices.GetRequiredService<IReauthenticationService>();
}
