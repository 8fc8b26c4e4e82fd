using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Invitations;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Routing.AccountSecurityEndpointRouteBuilderExtensions;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// Creating users over the JSON API: an owner or administrator invites a user (<c>POST {prefix}/admin/users</c>), the
/// invitee sets a password (<c>POST {prefix}/invitations/accept</c>), and, when the host turns it on, a stranger
/// registers a new contract (<c>POST {prefix}/register</c>). Invitation and registration answer <c>202</c> the same way
/// whether or not the address has an account elsewhere (the library sends that address a notice instead), and are rate
/// limited per client address and per target address.
/// </summary>
internal static class UserCreationEndpoints
{
    /// <summary>Whether any of these endpoints is mapped (then an <see cref="IAccountInvitationSender"/> is required).</summary>
    public static bool MapsAny(IServiceProvider services, AccountSecurityAspNetCoreOptions options) =>
        options.MapUserCreationEndpoints || RegistrationEnabled(services);

    public static void Map(RouteGroupBuilder group, IServiceProvider services, AccountSecurityAspNetCoreOptions options)
    {
        var registration = RegistrationEnabled(services);
        if (options.MapUserCreationEndpoints)
        {
            // Like the other admin endpoints: signed in, antiforgery, and the library decides who may (owner/administrator).
            group.MapPost("/admin/users", Antiforgery(InviteAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.AdminInviteUser);
        }

        if (options.MapUserCreationEndpoints || registration)
        {
            group.MapPost("/invitations/accept", AcceptAsync).AllowAnonymous().Describe(ApiOperations.InvitationAccept);
        }

        if (registration)
        {
            group.MapPost("/register", RegisterAsync).AllowAnonymous().Describe(ApiOperations.Register);
        }
    }

    private static bool RegistrationEnabled(IServiceProvider services) =>
        services.GetService<IOptions<AccountSecurityOptions>>()?.Value.Registration.Enabled == true;

    private static async Task InviteAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.InviteUserRequest).ConfigureAwait(false);
        if (body is null || RoleOf(body.Role) is not { } role)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await WithinLimitsAsync(context, AbuseOperation.UserCreation, body.Email).ConfigureAwait(false))
        {
            return;
        }

        var actor = context.User.GetRequiredAccountSecuritySession().UserId;
        var result = await Invitations(context).InviteUserAsync(actor, new NewInvitation { Email = body.Email, Role = role }, context.RequestAborted).ConfigureAwait(false);
        await AcceptedAsync(context, result).ConfigureAwait(false);
    }

    private static async Task AcceptAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.AcceptInvitationRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        // Per client only: the token is the account, and guessing 256 bits is what the client limit makes pointless.
        if (!await WithinLimitsAsync(context, AbuseOperation.UserCreation, null).ConfigureAwait(false))
        {
            return;
        }

        var result = await Invitations(context).AcceptInvitationAsync(body.Token, body.Password, body.PasswordRepeated, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task RegisterAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.RegisterRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await WithinLimitsAsync(context, AbuseOperation.UserCreation, body.Email).ConfigureAwait(false))
        {
            return;
        }

        var result = await Invitations(context).RegisterAsync(new NewRegistration { Email = body.Email, ContractName = body.ContractName }, context.RequestAborted).ConfigureAwait(false);
        await AcceptedAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>202 with the one body every accepted invitation or registration gets, whatever happens after it; a problem otherwise.</summary>
    private static async Task AcceptedAsync(HttpContext context, SecurityResult result)
    {
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await context.Response.WriteAsJsonAsync(new AcceptedResponse(), AccountSecurityJsonContext.Default.AcceptedResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The role a body names: absent means a plain user; anything but <c>user</c> or <c>administrator</c> is refused.</summary>
    private static UserRole? RoleOf(string? role) => role switch
    {
        null => UserRole.User,
        _ when string.Equals(role, "user", StringComparison.OrdinalIgnoreCase) => UserRole.User,
        _ when string.Equals(role, "administrator", StringComparison.OrdinalIgnoreCase) => UserRole.Administrator,
        _ => null,
    };

    private static IAccountInvitationService Invitations(HttpContext context) => context.RequestServices.GetRequiredService<IAccountInvitationService>();
}
