using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

// In this namespace so MapAccountSecurityApi() is found next to the framework's own Map* extensions.
namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the optional JSON endpoints of AccountSecurity (the counterpart of Identity's <c>MapIdentityApi</c>).</summary>
public static class AccountSecurityEndpointRouteBuilderExtensions
{
    private const long MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Maps the JSON endpoints under <paramref name="prefix"/> (for example <c>/account</c>): sign-in (password, second
    /// factor, recovery code, forced setup), sign-out, session, antiforgery token, password change, reset request and
    /// completion, 2FA setup/confirm/disable/recovery codes, support PIN set/remove/verify, admin force/reset of 2FA and
    /// the contract's password policy. Errors are RFC 9457 problem details whose <c>code</c> member is the library's
    /// stable code. A request body is UTF-8 JSON (no other charset) of at most 64 KB; any other body is a 400
    /// <c>invalid_input</c>. Every state change made with a cookie (session or pending) needs the antiforgery token from
    /// <c>GET {prefix}/antiforgery</c> in the header it names. 401/403 are never redirects. Sign-in, reset and PIN
    /// verification are rate limited per client address and per account (429 with <c>Retry-After</c>). Every answer,
    /// success or error (also of endpoints added to the returned group), carries <c>Cache-Control: no-store</c> and
    /// <c>X-Content-Type-Options: nosniff</c>. Requires <c>AddAccountSecurity().AddAspNetCore()</c> and, for the reset
    /// endpoints, an <see cref="IPasswordResetTokenSender"/> (or <see cref="AccountSecurityAspNetCoreOptions.MapPasswordResetEndpoints"/>
    /// off): both are checked here, at start-up, never at the first request. Creating users (invitation, acceptance,
    /// self-registration) is mapped only when turned on, and then needs an <c>IAccountInvitationSender</c>, checked likewise.
    /// </summary>
    /// <returns>The route group, for further conventions (CORS, OpenAPI, …).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A service the endpoints need is not registered; the message says what to register.</exception>
    public static RouteGroupBuilder MapAccountSecurityApi(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = AccountSecurityApiRequirements.Verify(endpoints.ServiceProvider, prefix);
        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(AccountSecurityApiEndpointMetadata.Instance);
        ApiResponseHeaders.AddTo(group);

        // Sign-in: anonymous (the pending cookie carries the ticket between the steps).
        group.MapPost("/signin", PasswordSignInAsync).AllowAnonymous().Describe(ApiOperations.SignIn);
        group.MapPost("/signin/second-factor", Antiforgery(SecondFactorSignInAsync)).AllowAnonymous().Describe(ApiOperations.SignInSecondFactor);
        group.MapPost("/signin/recovery-code", Antiforgery(RecoveryCodeSignInAsync)).AllowAnonymous().Describe(ApiOperations.SignInRecoveryCode);
        group.MapPost("/signin/setup", Antiforgery(BeginForcedSetupAsync)).AllowAnonymous().Describe(ApiOperations.SignInSetup);
        group.MapPost("/signin/setup/confirm", Antiforgery(CompleteForcedSetupAsync)).AllowAnonymous().Describe(ApiOperations.SignInSetupConfirm);
        group.MapGet("/antiforgery", AntiforgeryTokenAsync).AllowAnonymous().Describe(ApiOperations.AntiforgeryToken);
        if (options.MapPasswordResetEndpoints)
        {
            group.MapPost("/password/reset", ResetRequestAsync).AllowAnonymous().Describe(ApiOperations.PasswordResetRequest);
            group.MapPost("/password/reset/complete", ResetCompleteAsync).AllowAnonymous().Describe(ApiOperations.PasswordResetComplete);
        }

        // The signed-in user's own account. A session that must first set up forced 2FA reaches only sign-out, the
        // session, and the 2FA status, setup and confirmation (and the passkey registration of the passkeys package).
        // One that must first change a breached password reaches only sign-out, the session, the password change and
        // the password policy its form shows (and re-authentication, which the change may need).
        group.MapPost("/signout", Antiforgery(SignOutAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(ApiOperations.SignOut);
        group.MapGet("/session", SessionAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(ApiOperations.Session);
        group.MapPost("/password/change", Antiforgery(ChangePasswordAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringPasswordChange().Describe(ApiOperations.PasswordChange);
        group.MapGet("/two-factor", TwoFactorStatusAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(ApiOperations.TwoFactorStatus);
        group.MapPost("/two-factor/setup", Antiforgery(TwoFactorSetupAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(ApiOperations.TwoFactorSetup);
        group.MapPost("/two-factor/confirm", Antiforgery(TwoFactorConfirmAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(ApiOperations.TwoFactorConfirm);
        group.MapPost("/two-factor/disable", Antiforgery(TwoFactorDisableAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.TwoFactorDisable);
        group.MapPost("/two-factor/recovery-codes", Antiforgery(RecoveryCodesAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.TwoFactorRecoveryCodes);
        group.MapGet("/support-pin", SupportPinStatusAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SupportPinStatus);
        group.MapPost("/support-pin", Antiforgery(SetSupportPinAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SupportPinSet);
        group.MapPost("/support-pin/remove", Antiforgery(RemoveSupportPinAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.SupportPinRemove);
        group.MapGet("/policy", GetPolicyAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringPasswordChange().Describe(ApiOperations.PolicyGet);

        // Administration: the library decides who may (owner/administrator of the same contract); the actor is always the principal.
        group.MapPost("/policy", Antiforgery(SetPolicyAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.PolicySet);
        group.MapPost("/admin/users/{userId}/two-factor/force", Antiforgery(ForceTwoFactorAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.AdminForceTwoFactor);
        group.MapPost("/admin/users/{userId}/two-factor/reset", Antiforgery(ResetTwoFactorAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(ApiOperations.AdminResetTwoFactor);
        group.MapPost("/support-pin/verify", Antiforgery(VerifySupportPinAsync)).RequireAuthorization(AccountSecurityPolicies.SupportAgent).Describe(ApiOperations.SupportPinVerify);
        SessionEndpoints.Map(group);
        ReauthenticationEndpoints.Map(group);
        AuditEndpoints.Map(group);
        UserCreationEndpoints.Map(group, endpoints.ServiceProvider, options);

        // Factor packages registered in DI (passkeys) add their endpoints to the same group, with the same conventions.
        foreach (var extension in endpoints.ServiceProvider.GetServices<IAccountSecurityApiExtension>())
        {
            extension.Map(group);
        }

        return group;
    }

    internal static RequestDelegate Antiforgery(RequestDelegate next) => async context =>
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            Log.AntiforgeryRefused(Logger(context), context.Request.Path.Value ?? string.Empty);
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, SecurityErrorCodes.AntiforgeryInvalid, UserMessages.AntiforgeryInvalid).ConfigureAwait(false);
            return;
        }

        // Every event the change raises names the session it came from (for notifications and the audit trail), also
        // from services that take only a user id.
        using (AccountSecurity.Events.SecurityEventContext.For(context.User.GetAccountSecuritySession()))
        {
            await next(context).ConfigureAwait(false);
        }
    };

    private static async Task AntiforgeryTokenAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        var options = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        await context.Response.WriteAsJsonAsync(
            new AntiforgeryResponse { HeaderName = options.HeaderName ?? "RequestVerificationToken", Token = tokens.RequestToken ?? string.Empty },
            AccountSecurityJsonContext.Default.AntiforgeryResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task PasswordSignInAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordSignInRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await WithinLimitsAsync(context, AbuseOperation.SignIn, body.Email).ConfigureAwait(false))
        {
            return;
        }

        var result = await SignInManager(context).PasswordSignInAsync(body.Email, body.Password, context.RequestAborted).ConfigureAwait(false);
        await SignInAnswerAsync(context, result, SecurityErrorCodes.InvalidCredentials).ConfigureAwait(false);
    }

    private static async Task SecondFactorSignInAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.CodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await SignInManager(context).SecondFactorSignInAsync(body.Code, context.RequestAborted).ConfigureAwait(false);
            await SignInAnswerAsync(context, result, SecurityErrorCodes.InvalidCode).ConfigureAwait(false);
        }
    }

    private static async Task RecoveryCodeSignInAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.RecoveryCodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await SignInManager(context).RecoveryCodeSignInAsync(body.RecoveryCode, context.RequestAborted).ConfigureAwait(false);
            await SignInAnswerAsync(context, result, SecurityErrorCodes.InvalidCode).ConfigureAwait(false);
        }
    }

    private static async Task BeginForcedSetupAsync(HttpContext context)
    {
        if (!await WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            return;
        }

        var result = await SignInManager(context).BeginTwoFactorSetupAsync(context.RequestAborted).ConfigureAwait(false);
        await SetupAnswerAsync(context, result, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
    }

    private static async Task CompleteForcedSetupAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.CodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await SignInManager(context).TwoFactorSetupSignInAsync(body.Code, context.RequestAborted).ConfigureAwait(false);
            await SignInAnswerAsync(context, result, SecurityErrorCodes.InvalidCode).ConfigureAwait(false);
        }
    }

    private static async Task SignOutAsync(HttpContext context)
    {
        await SignInManager(context).SignOutAsync().ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Task SessionAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var amr = context.User.FindAll(AccountSecurityClaimTypes.AuthenticationMethod).Select(c => c.Value).ToList();
        return context.Response.WriteAsJsonAsync(
            new SessionResponse
            {
                UserId = session.UserId,
                ContractId = session.ContractId,
                Amr = amr,
                AuthenticatedAt = session.AuthenticatedAt,
                SecondFactor = session.UsedSecondFactor,

                // What the session must do first, so a client goes there without meeting a 403 (decided on this request's validation).
                PasswordChangeRequired = context.User.IsPasswordChangeRequired(),
                TwoFactorSetupRequired = context.User.IsTwoFactorSetupRequired(),
            },
            AccountSecurityJsonContext.Default.SessionResponse,
            cancellationToken: context.RequestAborted);
    }

    private static async Task ChangePasswordAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordChangeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<IPasswordChangeService>()
            .ChangePasswordAsync(Session(context), body.CurrentPassword, body.NewPassword, body.NewPasswordRepeated, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        // This session adopts the new stamp; every other one ends on the server unless the caller chose to keep them.
        await SignInManager(context).RefreshSignInAsync(result.Value.SecurityStamp, body.SignOutOtherSessions).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task ResetRequestAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.ResetRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await WithinLimitsAsync(context, AbuseOperation.PasswordReset, body.Email).ConfigureAwait(false))
        {
            return;
        }

        // The same answer whether or not the e-mail exists: the library queues the work and answers at once.
        _ = await context.RequestServices.GetRequiredService<IPasswordResetService>().RequestResetAsync(body.Email, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await context.Response.WriteAsJsonAsync(new AcceptedResponse(), AccountSecurityJsonContext.Default.AcceptedResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ResetCompleteAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.ResetCompleteRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await WithinLimitsAsync(context, AbuseOperation.PasswordReset, body.Email).ConfigureAwait(false))
        {
            return;
        }

        var result = await context.RequestServices.GetRequiredService<IPasswordResetService>()
            .ResetPasswordAsync(body.Email, body.Token, body.NewPassword, body.NewPasswordRepeated, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task TwoFactorStatusAsync(HttpContext context)
    {
        var status = await context.RequestServices.GetRequiredService<ITwoFactorService>().GetStatusAsync(UserId(context), context.RequestAborted).ConfigureAwait(false);
        if (status is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, SecurityErrorCodes.NotFound, UserMessages.AccountNotFound).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new TwoFactorStatusResponse { IsEnabled = status.IsEnabled, IsForced = status.IsForced, SetupPending = status.SetupPending, RecoveryCodesLeft = status.RecoveryCodesLeft },
            AccountSecurityJsonContext.Default.TwoFactorStatusResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task TwoFactorSetupAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordAndCodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ITwoFactorService>()
            .BeginSetupAsync(Session(context), body.CurrentPassword, body.Code, context.RequestAborted).ConfigureAwait(false);
        await SetupAnswerAsync(context, result, StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    private static async Task TwoFactorConfirmAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.TwoFactorConfirmRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ITwoFactorService>().ConfirmSetupAsync(UserId(context), body.Code, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        // Enabling 2FA changed the stamp: keep this session with the stamp returned, end the others (unless asked not to).
        await SignInManager(context).RefreshSignInAsync(result.Value.SecurityStamp, body.SignOutOtherSessions).ConfigureAwait(false);
        await RecoveryCodesAnswerAsync(context, result.Value.RecoveryCodes).ConfigureAwait(false);
    }

    private static async Task TwoFactorDisableAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordAndCodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ITwoFactorService>().DisableAsync(Session(context), body.CurrentPassword, body.Code, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await SignInManager(context).RefreshSignInAsync(result.Value.SecurityStamp, body.SignOutOtherSessions).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task RecoveryCodesAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordAndCodeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ITwoFactorService>()
            .RegenerateRecoveryCodesAsync(Session(context), body.CurrentPassword, body.Code, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        // New recovery codes leave the stamp as it was; they replace a factor all the same (ASVS V7.4.3): the other
        // sessions end unless the caller chose to keep them.
        if (body.SignOutOtherSessions)
        {
            await SignInManager(context).EndOtherSessionsAsync().ConfigureAwait(false);
        }

        await RecoveryCodesAnswerAsync(context, result.Value).ConfigureAwait(false);
    }

    private static async Task SupportPinStatusAsync(HttpContext context)
    {
        var result = await context.RequestServices.GetRequiredService<ISupportPinService>().GetStatusAsync(UserId(context), context.RequestAborted).ConfigureAwait(false);
        await SupportPinStatusAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task SetSupportPinAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.SupportPinSetRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ISupportPinService>()
            .SetPinAsync(Session(context), body.CurrentPassword, body.Pin, body.PinRepeated, context.RequestAborted).ConfigureAwait(false);
        await SupportPinStatusAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task RemoveSupportPinAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.CurrentPasswordRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ISupportPinService>().RemovePinAsync(Session(context), body.CurrentPassword, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task VerifySupportPinAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.SupportPinVerifyRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var account = string.IsNullOrWhiteSpace(body.Email) ? body.UserId : body.Email;
        if (!await WithinLimitsAsync(context, AbuseOperation.SupportPinVerification, account).ConfigureAwait(false))
        {
            return;
        }

        // The agent is always the authenticated principal, never a field of the request.
        var pins = context.RequestServices.GetRequiredService<ISupportPinService>();
        var result = string.IsNullOrWhiteSpace(body.Email)
            ? await pins.VerifyByUserIdAsync(UserId(context), body.UserId, body.Pin, context.RequestAborted).ConfigureAwait(false)
            : await pins.VerifyByEmailAsync(UserId(context), body.Email, body.Pin, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new SupportPinVerifiedResponse { Verified = true, UserId = result.Value.UserId, ContractId = result.Value.ContractId },
            AccountSecurityJsonContext.Default.SupportPinVerifiedResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task GetPolicyAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var policy = await context.RequestServices.GetRequiredService<IPasswordPolicyService>().GetEffectivePolicyAsync(session.ContractId, context.RequestAborted).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(policy, AccountSecurityJsonContext.Default.PasswordPolicySettings, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SetPolicyAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.PasswordPolicySettings).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<IPasswordPolicyService>().SetPolicyAsync(Session(context), body, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task ForceTwoFactorAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AccountSecurityJsonContext.Default.ForceTwoFactorRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await context.RequestServices.GetRequiredService<ITwoFactorAdministrationService>()
            .SetForcedAsync(Session(context), RouteUserId(context), body.Forced, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task ResetTwoFactorAsync(HttpContext context)
    {
        var result = await context.RequestServices.GetRequiredService<ITwoFactorAdministrationService>()
            .ResetAsync(Session(context), RouteUserId(context), context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>
    /// A sign-in step's answer. A lock is answered like <paramref name="hiddenLockCode"/> (a wrong password or code)
    /// unless the host opted into <see cref="AccountSecurityAspNetCoreOptions.RevealLockout"/>.
    /// </summary>
    internal static async Task SignInAnswerAsync(HttpContext context, SignInResult result, string hiddenLockCode)
    {
        var status = result.Status switch
        {
            SignInStatus.Succeeded => "signed_in",
            SignInStatus.SecondFactorRequired => "second_factor_required",
            SignInStatus.TwoFactorSetupRequired => "two_factor_setup_required",
            _ => null,
        };
        if (status is not null)
        {
            await context.Response.WriteAsJsonAsync(
                new SignInResponse { Status = status, RecoveryCodes = result.RecoveryCodes },
                AccountSecurityJsonContext.Default.SignInResponse,
                cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // One rule with a host's own pages: a lock is answered as a wrong secret unless the host reveals locks.
        result = result.ForDisplay(context.RequestServices.GetRequiredService<IOptions<AccountSecurityAspNetCoreOptions>>().Value, hiddenLockCode);
        await Problems.FromResultAsync(context, result).ConfigureAwait(false);
    }

    private static async Task SetupAnswerAsync(HttpContext context, SecurityResult<TwoFactorSetup> result, int failureStatus)
    {
        if (!result.Succeeded)
        {
            if (failureStatus == StatusCodes.Status401Unauthorized)
            {
                // A step of a sign-in (forced setup): answered as every sign-in step's failure is.
                var code = result.Errors[0].Code;
                await Problems.WriteAsync(context, failureStatus, code, SignInMessages.For(code)).ConfigureAwait(false);
            }
            else
            {
                await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            }

            return;
        }

        await context.Response.WriteAsJsonAsync(
            new SetupResponse { ManualEntryKey = result.Value.ManualEntryKey, OtpAuthUri = result.Value.OtpAuthUri, QrCodeSvg = result.Value.QrCodeSvg },
            AccountSecurityJsonContext.Default.SetupResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RecoveryCodesAnswerAsync(HttpContext context, IReadOnlyList<string> recoveryCodes)
    {
        await context.Response.WriteAsJsonAsync(new RecoveryCodesResponse { RecoveryCodes = recoveryCodes }, AccountSecurityJsonContext.Default.RecoveryCodesResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SupportPinStatusAnswerAsync(HttpContext context, SecurityResult<SupportPinStatus> result)
    {
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new SupportPinStatusResponse { IsSet = result.Value.IsSet, SetAt = result.Value.SetAt, VerificationLockedUntil = result.Value.VerificationLockedUntil },
            AccountSecurityJsonContext.Default.SupportPinStatusResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    internal static Task EmptyAnswerAsync(HttpContext context, SecurityResult result)
    {
        if (!result.Succeeded)
        {
            return Problems.FromResultAsync(context, result);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    internal static async Task<bool> WithinLimitsAsync(HttpContext context, AbuseOperation operation, string? account)
    {
        var decision = await context.RequestServices.GetRequiredService<AccountSecurityRateLimiter>().TryAcquireAsync(operation, context, account, context.RequestAborted).ConfigureAwait(false);
        if (decision.IsAllowed)
        {
            return true;
        }

        await Problems.RateLimitedAsync(context, decision.RetryAfter).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The JSON body, or <see langword="null"/> for a missing, oversized, non-JSON or malformed one (never throws for
    /// client input). JSON between systems is UTF-8 (RFC 8259 §8.1), so a charset other than UTF-8 is refused (the
    /// framework's reader throws for one it does not know) and the whole body must be valid UTF-8: the serializer checks
    /// the strings it converts, but a <see cref="JsonElement"/> member (the passkey credential) keeps its bytes unchecked
    /// until it is read, where invalid UTF-8 (a lone surrogate's ED A0 80) throws.
    /// </summary>
    internal static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!context.Request.HasJsonContentType() || !IsUtf8OrUnspecified(context.Request.ContentType) || context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        if (body is null || !Utf8.IsValid(body))
        {
            return null;
        }

        try
        {
            // The contract read, so a failure's problem can name the member each error is about (ProblemFields).
            ProblemFields.Remember(context, typeInfo);

            // A byte-order mark is read past, as the framework's stream reader does.
            var json = body.AsSpan();
            return JsonSerializer.Deserialize(json.StartsWith(Encoding.UTF8.Preamble) ? json[Encoding.UTF8.Preamble.Length..] : json, typeInfo);
        }
        catch (JsonException exception)
        {
            // "$.newPassword" or "$.codes[2]" -> the member's name, so the problem says which field; never its value.
            if (FieldOf(exception.Path) is { } field)
            {
                context.Items[Problems.InvalidFieldKey] = field;
            }

            return null;
        }
    }

    /// <summary>The top-level member a JSON path points into (<c>$.email</c> → <c>email</c>), or <see langword="null"/> for the body itself.</summary>
    internal static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var member = path[2..];
        var end = member.IndexOfAny(['.', '[']);
        member = end < 0 ? member : member[..end];
        return member.Length is > 0 and <= 64 && member.All(char.IsAsciiLetterOrDigit) ? member : null;
    }

    private static bool IsUtf8OrUnspecified(string? contentType) =>
        !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        || StringSegment.IsNullOrEmpty(mediaType.Charset)
        || mediaType.Encoding?.CodePage == Encoding.UTF8.CodePage;

    /// <summary>The body's bytes, or <see langword="null"/> past <see cref="MaxBodyBytes"/> (a server without a body limit, or a body without a length).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return body.ToArray();
    }

    private static AccountSecuritySignInManager SignInManager(HttpContext context) => context.RequestServices.GetRequiredService<AccountSecuritySignInManager>();

    private static string UserId(HttpContext context) => context.User.GetRequiredAccountSecuritySession().UserId;

    private static AuthenticatedSession Session(HttpContext context) => context.User.GetRequiredAccountSecuritySession();

    private static string RouteUserId(HttpContext context) => context.Request.RouteValues["userId"] as string ?? string.Empty;

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AccountSecurity.AspNetCore.Endpoints");
}
