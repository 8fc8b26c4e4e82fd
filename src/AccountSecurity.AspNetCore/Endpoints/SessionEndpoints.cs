using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Results;
using AccountSecurity.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Routing.AccountSecurityEndpointRouteBuilderExtensions;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// "Devices and sessions" over the JSON API (OWASP ASVS V7.5.2, V7.4.5): the signed-in user lists their live sessions
/// (the current one marked) and ends one or all others; an administrator ends every session of a user of their
/// contract; the contract owner reads and sets the contract's session policy. Durations are whole minutes.
/// </summary>
internal static class SessionEndpoints
{
    /// <summary>The largest number of minutes read from a request: beyond any bound a host may set, small enough for a <see cref="TimeSpan"/>.</summary>
    private const int MaxMinutes = 10_000_000;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/sessions", ListAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.Sessions);
        group.MapPost("/sessions/end-others", Antiforgery(EndOthersAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SessionsEndOthers);
        group.MapPost("/sessions/{sessionId}/end", Antiforgery(EndAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SessionEnd);
        group.MapPost("/admin/users/{userId}/sessions/end", Antiforgery(EndAllOfUserAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.AdminEndSessions);
        group.MapGet("/session-policy", GetPolicyAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SessionPolicyGet);
        group.MapPost("/session-policy", Antiforgery(SetPolicyAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SessionPolicySet);
    }

    private static async Task ListAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var sessions = await Sessions(context).ListAsync(session.UserId, session.SessionId, context.RequestAborted).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(
            new SessionListResponse
            {
                Sessions = [.. sessions.Select(s => new SessionItem
                {
                    Id = s.Id,
                    DeviceLabel = s.DeviceLabel,
                    ClientAddress = s.ClientAddress,
                    CreatedAt = s.CreatedAt,
                    LastSeenAt = s.LastSeenAt,
                    ExpiresAt = s.ExpiresAt,
                    Methods = s.Methods,
                    SecondFactor = s.UsedSecondFactor,
                    Current = s.IsCurrent,
                })],
            },
            AccountSecurityJsonContext.Default.SessionListResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task EndAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var sessionId = context.Request.RouteValues["sessionId"] as string ?? string.Empty;
        var result = await Sessions(context).EndAsync(session.UserId, sessionId, context.RequestAborted).ConfigureAwait(false);
        if (result.Succeeded && string.Equals(sessionId, session.SessionId, StringComparison.Ordinal))
        {
            // Ending this very session is signing out: its cookie goes too.
            await context.RequestServices.GetRequiredService<AccountSecuritySignInManager>().ClearSessionCookieAsync().ConfigureAwait(false);
        }

        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task EndOthersAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var result = await Sessions(context).EndOthersAsync(session.UserId, session.SessionId ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        await EndedAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task EndAllOfUserAsync(HttpContext context)
    {
        var actor = context.User.GetRequiredAccountSecuritySession();
        var userId = context.Request.RouteValues["userId"] as string ?? string.Empty;
        var result = await Sessions(context).EndAllByAdministratorAsync(actor, userId, context.RequestAborted).ConfigureAwait(false);
        if (result.Succeeded && string.Equals(userId, actor.UserId, StringComparison.Ordinal))
        {
            // An administrator who ends their own sessions ended this one too.
            await context.RequestServices.GetRequiredService<AccountSecuritySignInManager>().ClearSessionCookieAsync().ConfigureAwait(false);
        }

        await EndedAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task GetPolicyAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var policy = await Sessions(context).GetEffectivePolicyAsync(session.ContractId, context.RequestAborted).ConfigureAwait(false);
        var bounds = context.RequestServices.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.Sessions;
        await context.Response.WriteAsJsonAsync(
            new SessionPolicyResponse
            {
                IdleTimeoutMinutes = Minutes(policy.IdleTimeout),
                AbsoluteLifetimeMinutes = Minutes(policy.AbsoluteLifetime),
                MaxSessionsPerUser = policy.MaxSessionsPerUser,
                MinIdleTimeoutMinutes = Minutes(bounds.MinIdleTimeout),
                MaxIdleTimeoutMinutes = Minutes(bounds.MaxIdleTimeout),
                MinAbsoluteLifetimeMinutes = Minutes(bounds.MinAbsoluteLifetime),
                MaxAbsoluteLifetimeMinutes = Minutes(bounds.MaxAbsoluteLifetime),
                MaxSessionsPerUserLimit = bounds.MaxSessionsPerUserLimit,
            },
            AccountSecurityJsonContext.Default.SessionPolicyResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SetPolicyAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.SessionPolicyRequest).ConfigureAwait(false);
        if (body is null || body.NullGiven())
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        // Every member null clears the contract's policy: the host's defaults apply.
        SessionPolicySettings? settings = body is { IdleTimeoutMinutes: null, AbsoluteLifetimeMinutes: null, MaxSessionsPerUser: null }
            ? null
            : new SessionPolicySettings(Duration(body.IdleTimeoutMinutes), Duration(body.AbsoluteLifetimeMinutes), body.MaxSessionsPerUser);
        var actor = context.User.GetRequiredAccountSecuritySession();
        var result = await Sessions(context).SetPolicyAsync(actor, settings, context.RequestAborted).ConfigureAwait(false);

        // The core names its members (idleTimeout); the request's are in minutes (idleTimeoutMinutes).
        if (!result.Succeeded)
        {
            result = SecurityResult.Failed(result.Errors.Select(e => e.Field is "idleTimeout" or "absoluteLifetime" ? e with { Field = e.Field + "Minutes" } : e).ToArray());
        }

        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task EndedAnswerAsync(HttpContext context, SecurityResult<int> result)
    {
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new SessionsEndedResponse { Ended = result.Value }, AccountSecurityJsonContext.Default.SessionsEndedResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static int Minutes(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Round(value.TotalMinutes));

    private static TimeSpan? Duration(int? minutes) => minutes is { } m ? TimeSpan.FromMinutes(Math.Clamp(m, -1, MaxMinutes)) : null;

    private static ISessionService Sessions(HttpContext context) => context.RequestServices.GetRequiredService<ISessionService>();
}
