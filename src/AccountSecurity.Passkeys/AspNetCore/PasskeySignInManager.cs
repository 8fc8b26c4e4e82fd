using AccountSecurity.AspNetCore.SignIn;
using AccountSecurity.Localization;

namespace AccountSecurity.Passkeys.AspNetCore;

/// <summary>
/// The passkey ceremonies for the current HTTP request, over the ASP.NET Core package's cookies: the sign-in ticket
/// stays in the pending cookie (never in a page or a response), a completed sign-in issues the session cookie, and a
/// passkey change re-issues the caller's session with the new stamp (every other session ends). Scoped.
/// </summary>
public sealed class PasskeySignInManager
{
    private readonly AccountSecuritySignInManager _signIn;
    private readonly IPasskeyService _passkeys;

    /// <summary>Creates the manager; hosts resolve it from DI (<c>AddPasskeys</c> registers it).</summary>
    public PasskeySignInManager(AccountSecuritySignInManager signIn, IPasskeyService passkeys)
    {
        _signIn = signIn;
        _passkeys = passkeys;
    }

    /// <summary>Starts the passkey step of the pending sign-in (after a password step that asked for a second factor).</summary>
    public Task<SecurityResult<PasskeyCeremony>> BeginSecondFactorAsync(CancellationToken cancellationToken = default) =>
        _signIn.WithPendingTicketAsync(PendingSignInStep.SecondFactor, ticket => _passkeys.BeginSecondFactorAsync(ticket, cancellationToken));

    /// <summary>Completes the pending sign-in with the browser's assertion; on success the session cookie is issued.</summary>
    public Task<SignInResult> SecondFactorSignInAsync(string? state, string? assertionResponseJson, CancellationToken cancellationToken = default) =>
        _signIn.CompletePendingStepAsync(PendingSignInStep.SecondFactor, ticket => _passkeys.SecondFactorSignInAsync(ticket, state, assertionResponseJson, cancellationToken));

    /// <summary>Starts a forced setup with a passkey (the pending sign-in waits for setup).</summary>
    public Task<SecurityResult<PasskeyCeremony>> BeginSetupAsync(CancellationToken cancellationToken = default) =>
        _signIn.WithPendingTicketAsync(PendingSignInStep.TwoFactorSetup, ticket => _passkeys.BeginSetupSignInAsync(ticket, cancellationToken));

    /// <summary>Registers the forced setup's passkey and completes the sign-in with it.</summary>
    public Task<SignInResult> SetupSignInAsync(string? attestationResponseJson, string? name, CancellationToken cancellationToken = default) =>
        _signIn.CompletePendingStepAsync(PendingSignInStep.TwoFactorSetup, ticket => _passkeys.SetupSignInAsync(ticket, attestationResponseJson, name, cancellationToken));

    /// <summary>Starts a passwordless sign-in (no account known yet).</summary>
    public Task<SecurityResult<PasskeyCeremony>> BeginPasswordlessAsync(CancellationToken cancellationToken = default) =>
        _passkeys.BeginPasswordlessAsync(cancellationToken).AsTask();

    /// <summary>Signs in with a passkey alone where the contract allows it; on success the session cookie is issued.</summary>
    public async Task<SignInResult> PasswordlessSignInAsync(string? state, string? assertionResponseJson, CancellationToken cancellationToken = default)
    {
        var result = await _passkeys.PasswordlessSignInAsync(state, assertionResponseJson, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && !await _signIn.SignInAsync(result.Session!).ConfigureAwait(false))
        {
            // The server-side session could not begin (the store is busy): nothing was issued.
            return SignInResult.Failed(SecurityErrorCodes.Busy);
        }

        return result;
    }

    /// <summary>The signed-in user's passkeys; empty without a session.</summary>
    public async Task<IReadOnlyList<PasskeySummary>> ListAsync(CancellationToken cancellationToken = default) =>
        await _signIn.GetSessionAsync().ConfigureAwait(false) is { } session ? await _passkeys.ListAsync(session.UserId, cancellationToken).ConfigureAwait(false) : [];

    /// <summary>Starts registering a passkey for the signed-in user (current password; a second-factor session when the account has a second factor).</summary>
    public async Task<SecurityResult<PasskeyCeremony>> BeginRegistrationAsync(string? currentPassword, CancellationToken cancellationToken = default) =>
        await _signIn.GetSessionAsync().ConfigureAwait(false) is { } session
            ? await _passkeys.BeginRegistrationAsync(session, currentPassword, cancellationToken).ConfigureAwait(false)
            : SecurityResult<PasskeyCeremony>.Failed(NoSession());

    /// <summary>Completes a registration; the caller's session adopts the new stamp and every other session of the user ends.</summary>
    public Task<SecurityResult<PasskeyChanged>> CompleteRegistrationAsync(string? attestationResponseJson, string? name, CancellationToken cancellationToken = default) =>
        CompleteRegistrationAsync(attestationResponseJson, name, signOutOtherSessions: true, cancellationToken);

    /// <summary>
    /// Completes a registration; the caller's session adopts the new stamp, and every other session of the user ends
    /// when <paramref name="signOutOtherSessions"/> (ASVS V7.4.3) or keeps going otherwise.
    /// </summary>
    public async Task<SecurityResult<PasskeyChanged>> CompleteRegistrationAsync(string? attestationResponseJson, string? name, bool signOutOtherSessions, CancellationToken cancellationToken = default)
    {
        if (await _signIn.GetSessionAsync().ConfigureAwait(false) is not { } session)
        {
            return SecurityResult<PasskeyChanged>.Failed(NoSession());
        }

        var result = await _passkeys.CompleteRegistrationAsync(session, attestationResponseJson, name, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await _signIn.RefreshSignInAsync(result.Value!.SecurityStamp, signOutOtherSessions).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Renames one of the signed-in user's passkeys.</summary>
    public async Task<SecurityResult> RenameAsync(string? credentialId, string? name, CancellationToken cancellationToken = default) =>
        await _signIn.GetSessionAsync().ConfigureAwait(false) is { } session
            ? await _passkeys.RenameAsync(session, credentialId, name, cancellationToken).ConfigureAwait(false)
            : SecurityResult.Failed(NoSession());

    /// <summary>Removes one of the signed-in user's passkeys after the current password; the caller's session adopts the new stamp and every other session of the user ends.</summary>
    public Task<SecurityResult<PasskeyChanged>> RemoveAsync(string? credentialId, string? currentPassword, CancellationToken cancellationToken = default) =>
        RemoveAsync(credentialId, currentPassword, signOutOtherSessions: true, cancellationToken);

    /// <summary>
    /// Removes one of the signed-in user's passkeys after the current password; the caller's session adopts the new
    /// stamp, and every other session of the user ends when <paramref name="signOutOtherSessions"/> (ASVS V7.4.3).
    /// </summary>
    public async Task<SecurityResult<PasskeyChanged>> RemoveAsync(string? credentialId, string? currentPassword, bool signOutOtherSessions, CancellationToken cancellationToken = default)
    {
        if (await _signIn.GetSessionAsync().ConfigureAwait(false) is not { } session)
        {
            return SecurityResult<PasskeyChanged>.Failed(NoSession());
        }

        var result = await _passkeys.RemoveAsync(session, credentialId, currentPassword, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await _signIn.RefreshSignInAsync(result.Value!.SecurityStamp, signOutOtherSessions).ConfigureAwait(false);
        }

        return result;
    }

    private static SecurityError NoSession() => new(SecurityErrorCodes.NotAuthorized, UserMessages.SignInFirst);
}
