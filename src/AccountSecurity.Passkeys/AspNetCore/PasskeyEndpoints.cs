using System.Text.Json;
using System.Text.Json.Serialization;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Passkeys.Ceremonies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Api = Microsoft.AspNetCore.Routing.AccountSecurityEndpointRouteBuilderExtensions;

namespace AccountSecurity.Passkeys.AspNetCore;

/// <summary>
/// The passkey ceremonies as JSON endpoints in <c>MapAccountSecurityApi</c>'s group, with its conventions: antiforgery
/// on every POST, the sign-in abuse limits on every sign-in step, problem details with the library's stable codes,
/// <c>no-store</c> on every answer. Options go out as WebAuthn JSON (<c>options</c>) with the sealed <c>state</c>;
/// the browser's credential comes back as the JSON of <c>credential.toJSON()</c>.
/// </summary>
internal sealed class PasskeyEndpoints : IAccountSecurityApiExtension
{
    public void Map(RouteGroupBuilder group)
    {
        group.MapPost("/signin/passkey/options", Api.Antiforgery(BeginSecondFactorAsync)).AllowAnonymous().Describe(PasskeyApiOperations.SecondFactorOptions);
        group.MapPost("/signin/passkey", Api.Antiforgery(SecondFactorSignInAsync)).AllowAnonymous().Describe(PasskeyApiOperations.SecondFactorSignIn);
        group.MapPost("/signin/setup/passkey/options", Api.Antiforgery(BeginSetupAsync)).AllowAnonymous().Describe(PasskeyApiOperations.SetupOptions);
        group.MapPost("/signin/setup/passkey", Api.Antiforgery(SetupSignInAsync)).AllowAnonymous().Describe(PasskeyApiOperations.SetupSignIn);
        group.MapPost("/signin/passwordless/options", Api.Antiforgery(BeginPasswordlessAsync)).AllowAnonymous().Describe(PasskeyApiOperations.PasswordlessOptions);
        group.MapPost("/signin/passwordless", Api.Antiforgery(PasswordlessSignInAsync)).AllowAnonymous().Describe(PasskeyApiOperations.PasswordlessSignIn);
        group.MapGet("/passkeys", ListAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(PasskeyApiOperations.List);
        group.MapPost("/passkeys/options", Api.Antiforgery(BeginRegistrationAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(PasskeyApiOperations.RegistrationOptions);
        group.MapPost("/passkeys", Api.Antiforgery(CompleteRegistrationAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().Describe(PasskeyApiOperations.Register);
        group.MapPost("/passkeys/rename", Api.Antiforgery(RenameAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(PasskeyApiOperations.Rename);
        group.MapPost("/passkeys/remove", Api.Antiforgery(RemoveAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(PasskeyApiOperations.Remove);
        group.MapPost("/policy/passwordless", Api.Antiforgery(SetPasswordlessAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(PasskeyApiOperations.SetPasswordless);
        group.MapPost("/reauthentication/passkey/options", Api.Antiforgery(BeginReauthenticationAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(PasskeyApiOperations.ReauthenticationOptions);
        group.MapPost("/reauthentication/passkey", Api.Antiforgery(ReauthenticateAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).AllowDuringTwoFactorSetup().AllowDuringPasswordChange().Describe(PasskeyApiOperations.Reauthenticate);
    }

    private static async Task BeginReauthenticationAsync(HttpContext context)
    {
        var session = context.User.GetRequiredAccountSecuritySession();
        var service = context.RequestServices.GetRequiredService<IPasskeyService>();
        await CeremonyAnswerAsync(context, await service.BeginReauthenticationAsync(session, context.RequestAborted).ConfigureAwait(false), failureStatus: null).ConfigureAwait(false);
    }

    private static async Task ReauthenticateAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyCredentialRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var session = context.User.GetRequiredAccountSecuritySession();
        if (!await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, session.UserId).ConfigureAwait(false))
        {
            return;
        }

        var result = await context.RequestServices.GetRequiredService<IPasskeyService>().CompleteReauthenticationAsync(session, body.State, Raw(body.Credential), context.RequestAborted).ConfigureAwait(false);
        await ReauthenticationEndpoints.AnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task BeginSecondFactorAsync(HttpContext context)
    {
        if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            await CeremonyAnswerAsync(context, await Manager(context).BeginSecondFactorAsync(context.RequestAborted).ConfigureAwait(false), StatusCodes.Status401Unauthorized).ConfigureAwait(false);
        }
    }

    private static async Task SecondFactorSignInAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyCredentialRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await Manager(context).SecondFactorSignInAsync(body.State, Raw(body.Credential), context.RequestAborted).ConfigureAwait(false);
            await Api.SignInAnswerAsync(context, result, SecurityErrorCodes.PasskeyResponseInvalid).ConfigureAwait(false);
        }
    }

    private static async Task BeginSetupAsync(HttpContext context)
    {
        if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            await CeremonyAnswerAsync(context, await Manager(context).BeginSetupAsync(context.RequestAborted).ConfigureAwait(false), StatusCodes.Status401Unauthorized).ConfigureAwait(false);
        }
    }

    private static async Task SetupSignInAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyCredentialRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await Manager(context).SetupSignInAsync(Raw(body.Credential), body.Name, context.RequestAborted).ConfigureAwait(false);
            await Api.SignInAnswerAsync(context, result, SecurityErrorCodes.PasskeyResponseInvalid).ConfigureAwait(false);
        }
    }

    private static async Task BeginPasswordlessAsync(HttpContext context)
    {
        if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            await CeremonyAnswerAsync(context, await Manager(context).BeginPasswordlessAsync(context.RequestAborted).ConfigureAwait(false), StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }
    }

    private static async Task PasswordlessSignInAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyCredentialRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
        }
        else if (await Api.WithinLimitsAsync(context, AbuseOperation.SignIn, null).ConfigureAwait(false))
        {
            var result = await Manager(context).PasswordlessSignInAsync(body.State, Raw(body.Credential), context.RequestAborted).ConfigureAwait(false);
            await Api.SignInAnswerAsync(context, result, SecurityErrorCodes.PasskeyResponseInvalid).ConfigureAwait(false);
        }
    }

    private static async Task ListAsync(HttpContext context)
    {
        var passkeys = await Manager(context).ListAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new PasskeyListResponse { Passkeys = [.. passkeys.Select(Item)] },
            PasskeyJsonContext.Default.PasskeyListResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task BeginRegistrationAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyPasswordRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        await CeremonyAnswerAsync(context, await Manager(context).BeginRegistrationAsync(body.CurrentPassword, context.RequestAborted).ConfigureAwait(false), failureStatus: null).ConfigureAwait(false);
    }

    private static async Task CompleteRegistrationAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyCredentialRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await Manager(context).CompleteRegistrationAsync(Raw(body.Credential), body.Name, body.SignOutOtherSessions, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(Item(result.Value!.Passkey), PasskeyJsonContext.Default.PasskeyItem, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RenameAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyChangeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        await Api.EmptyAnswerAsync(context, await Manager(context).RenameAsync(body.CredentialId, body.Name, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task RemoveAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasskeyChangeRequest).ConfigureAwait(false);
        if (body is null)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        await Api.EmptyAnswerAsync(context, await Manager(context).RemoveAsync(body.CredentialId, body.CurrentPassword, body.SignOutOtherSessions, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task SetPasswordlessAsync(HttpContext context)
    {
        var body = await Api.ReadAsync(context, PasskeyJsonContext.Default.PasswordlessPolicyRequest).ConfigureAwait(false);
        if (body?.Allowed is not { } allowed)
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var session = context.User.GetRequiredAccountSecuritySession();
        var result = await context.RequestServices.GetRequiredService<IPasskeyService>().SetPasswordlessSignInAllowedAsync(session, allowed, context.RequestAborted).ConfigureAwait(false);
        await Api.EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>
    /// A started ceremony: 200 with the options and state, or the refusal — as a sign-in step (401 with the sign-in
    /// message, so a stale pending cookie looks like any other) when <paramref name="failureStatus"/> is 401, else as a
    /// result problem.
    /// </summary>
    private static async Task CeremonyAnswerAsync(HttpContext context, SecurityResult<PasskeyCeremony> result, int? failureStatus)
    {
        if (!result.Succeeded)
        {
            if (failureStatus == StatusCodes.Status401Unauthorized)
            {
                await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, result.Errors[0].Code, result.Errors[0].Message).ConfigureAwait(false);
            }
            else
            {
                await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            }

            return;
        }

        using var options = JsonDocument.Parse(result.Value!.OptionsJson);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new PasskeyCeremonyResponse { Options = options.RootElement.Clone(), State = result.Value.State },
            PasskeyJsonContext.Default.PasskeyCeremonyResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The credential object as the JSON text the library verifies; <see langword="null"/> when absent (answered as malformed).</summary>
    private static string? Raw(JsonElement? credential) =>
        credential is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;

    private static PasskeyItem Item(PasskeySummary p) =>
        new() { CredentialId = p.CredentialId, Name = p.Name, IsSynced = p.IsSynced, CreatedAt = p.CreatedAt, LastUsedAt = p.LastUsedAt };

    private static PasskeySignInManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<PasskeySignInManager>();
}

// Request and response bodies. Classes, not records: a record's ToString would print a password if one were logged.
#pragma warning disable SA1402, CA1812 // Small DTOs kept together; instantiated by the JSON source generator.

internal sealed class PasskeyCredentialRequest
{
    public string? State { get; set; }

    public JsonElement? Credential { get; set; }

    public string? Name { get; set; }

    /// <summary>At registration: whether every other session of the user ends (ASVS V7.4.3); absent means yes. Not read by the sign-ins.</summary>
    public bool SignOutOtherSessions { get; set; } = true;
}

internal sealed class PasskeyPasswordRequest
{
    public string? CurrentPassword { get; set; }
}

internal sealed class PasskeyChangeRequest
{
    public string? CredentialId { get; set; }

    public string? Name { get; set; }

    public string? CurrentPassword { get; set; }

    /// <summary>At removal: whether every other session of the user ends (ASVS V7.4.3); absent means yes. Not read by renaming.</summary>
    public bool SignOutOtherSessions { get; set; } = true;
}

internal sealed class PasswordlessPolicyRequest
{
    public bool? Allowed { get; set; }
}

internal sealed class PasskeyCeremonyResponse
{
    public JsonElement Options { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; set; }
}

internal sealed class PasskeyItem
{
    public string? CredentialId { get; set; }

    public string? Name { get; set; }

    public bool IsSynced { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class PasskeyListResponse
{
    public List<PasskeyItem> Passkeys { get; set; } = [];
}

#pragma warning restore SA1402, CA1812
