using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Verification;

namespace AccountSecurity.SupportPin;

/// <summary>Verification by support staff: count first, compare once, answer an unknown account as a wrong PIN.</summary>
internal sealed partial class SupportPinService
{
    /// <inheritdoc />
    public ValueTask<SupportPinVerificationResult> VerifyByEmailAsync(string? agentId, string? email, string? pin, CancellationToken cancellationToken = default) =>
        VerifyAsync(agentId, email, byEmail: true, pin, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SupportPinVerificationResult> VerifyByUserIdAsync(string? agentId, string? userId, string? pin, CancellationToken cancellationToken = default) =>
        VerifyAsync(agentId, userId, byEmail: false, pin, cancellationToken);

    private async ValueTask<SupportPinVerificationResult> VerifyAsync(string? agentId, string? account, bool byEmail, string? pin, CancellationToken cancellationToken)
    {
        // The outcome code only: the agent, the account named and the PIN stay out of the trace.
        using var span = AccountSecurityActivitySource.Start(SpanNames.SupportPinVerify);
        return span.Outcome(await VerifyCoreAsync(agentId, account, byEmail, pin, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SupportPinVerificationResult> VerifyCoreAsync(string? agentId, string? account, bool byEmail, string? pin, CancellationToken cancellationToken)
    {
        if (!InputText.IsId(agentId))
        {
            // The id is not echoed anywhere: it is malformed, perhaps huge, perhaps a PIN typed into the wrong field.
            return await RefusedInputAsync(null, null, new SecurityError(SecurityErrorCodes.SupportAgentInvalid, UserMessages.SupportAgentInvalid), cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            return await RefusedInputAsync(agentId, null, new SecurityError(SecurityErrorCodes.SupportAccountRequired, UserMessages.SupportAccountRequired), cancellationToken).ConfigureAwait(false);
        }

        // Asked before the account is looked up: who is no support agent at all gets the same answer for every account.
        if (!await _agents.IsSupportAgentAsync(agentId, cancellationToken).ConfigureAwait(false))
        {
            Log.SupportPinVerificationRefusedInput(_logger, agentId, SecurityErrorCodes.SupportAgentNotAuthorized);
            await RefusedAsync(null, agentId, SecurityErrorCodes.SupportAgentNotAuthorized, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.AgentNotAuthorized();
        }

        // Identifiers no account can have are looked up nowhere, and answered below as an unknown account.
        var user = (byEmail ? EmailAddress.IsPlausible(account) : InputText.IsId(account))
            ? await (byEmail ? _users.FindByEmailAsync(account, cancellationToken) : _users.FindByIdAsync(account, cancellationToken)).ConfigureAwait(false)
            : null;

        if (SupportPinRules.ValidateForVerification(pin) is { } pinError)
        {
            return await RefusedInputAsync(agentId, user, pinError, cancellationToken).ConfigureAwait(false);
        }

        if (user is null)
        {
            var key = byEmail ? HashingAccountKey.OfEmail(account) : HashingAccountKey.OfUnknownId(account);
            return await UnknownAccountAsync(agentId, pin!, key, cancellationToken).ConfigureAwait(false);
        }

        // A deactivated account, or one outside this agent's reach, is answered as an unknown account (same answer,
        // same work) and counts nothing: otherwise anyone could lock the real user's support call, or learn who exists.
        if (!user.IsActive)
        {
            return await UnknownAccountAsync(agentId, pin!, HashingAccountKey.Of(user), cancellationToken, user, SecurityErrorCodes.UserInactive).ConfigureAwait(false);
        }

        if (!await _agents.MayVerifyAsync(agentId, new SupportPinTarget(user.Id, user.ContractId, user.Role), cancellationToken).ConfigureAwait(false))
        {
            Log.SupportPinVerificationRefusedInput(_logger, agentId, SecurityErrorCodes.NotAuthorized);
            if (await SpendDummyAsync(pin!, HashingAccountKey.Of(user), cancellationToken).ConfigureAwait(false) is { } busy)
            {
                return SupportPinVerificationResult.Overloaded(busy);
            }

            await RefusedAsync(user, agentId, SecurityErrorCodes.NotAuthorized, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.WrongPin();
        }

        if (user.SupportPinHash is null)
        {
            await VerificationFailedAsync(user, agentId, SecurityErrorCodes.SupportPinNotSet, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.NoPinSet();
        }

        // Through the factor pipeline: counted before comparing, the success re-checked at the write.
        var strategy = new SupportPinStrategy(_pipeline.Hashing, _hasher, pin!, agentId, _logger);
        var check = await _pipeline.VerifyAsync(user, strategy, cancellationToken).ConfigureAwait(false);
        switch (check.Status)
        {
            case FactorStatus.Overloaded:
                // Nothing compared or counted: not a failed verification, so no failure event (the limiter counts it).
                return SupportPinVerificationResult.Overloaded(HashingLimiter.BusyError(check.RetryAfter!.Value));
            case FactorStatus.LockedOut:
                await VerificationFailedAsync(user, agentId, SecurityErrorCodes.LockedOut, cancellationToken).ConfigureAwait(false);
                return SupportPinVerificationResult.LockedOut(check.LockedUntil!.Value);
            case FactorStatus.NotFound:
                return await UnknownAccountAsync(agentId, pin!, HashingAccountKey.Of(user), cancellationToken).ConfigureAwait(false);
            case FactorStatus.Wrong:
                await VerificationFailedAsync(user, agentId, SecurityErrorCodes.SupportPinWrong, cancellationToken).ConfigureAwait(false);
                return SupportPinVerificationResult.WrongPin(check.LockedUntil);
            case FactorStatus.Verified:
                if (strategy.Upgraded is not null)
                {
                    Log.SupportPinRehashed(_logger, user.Id);
                }

                await _events.PublishAsync(SecurityEventType.SupportPinVerified, user.Id, user.ContractId, cancellationToken, outcome: SupportPinOutcomeCodes.Verified, actorId: agentId, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
                return SupportPinVerificationResult.Verified(user.Id, user.ContractId);
        }

        // Busy, or the PIN changed or the account was deactivated after we compared: no verification for it.
        var result = check.Status == FactorStatus.Busy ? SupportPinVerificationResult.Busy() : SupportPinVerificationResult.WrongPin();
        await VerificationFailedAsync(user, agentId, result.ErrorCode!, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Answers exactly as for a wrong PIN, after the same bcrypt work, so neither the answer nor its timing tells the
    /// account is unknown (or, with <paramref name="known"/>, deactivated). Nothing is counted. The work is done under
    /// <paramref name="accountKey"/>, the one place at the hashing limiter of the account named (see <see cref="HashingAccountKey"/>).
    /// </summary>
    private async ValueTask<SupportPinVerificationResult> UnknownAccountAsync(string agentId, string pin, string? accountKey, CancellationToken cancellationToken, UserAccount? known = null, string outcome = SecurityErrorCodes.NotFound)
    {
        if (await SpendDummyAsync(pin, accountKey, cancellationToken).ConfigureAwait(false) is { } busy)
        {
            return SupportPinVerificationResult.Overloaded(busy);
        }

        // The audit trail may know better than the agent: the user when known, and why. A typed identifier that
        // matched nothing is not recorded (it may be anything, even the PIN typed into the wrong field).
        await _events.PublishAsync(SecurityEventType.SupportPinVerificationFailed, known?.Id, known?.ContractId, cancellationToken, outcome: outcome, actorId: agentId, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        return SupportPinVerificationResult.WrongPin();
    }

    /// <summary>
    /// The work of one PIN check, in a turn at the hashing limiter under <paramref name="accountKey"/>; the busy error when
    /// the machine is at capacity or that account already has a check in flight (nothing spent).
    /// </summary>
    private ValueTask<SecurityError?> SpendDummyAsync(string pin, string? accountKey, CancellationToken cancellationToken) =>
        _pipeline.Hashing.SpendAsync(() => _hasher.VerifyDummy(pin), accountKey, cancellationToken);

    /// <summary>Audits a verification refused for want of authority: the agent's id, the account when known, never the PIN.</summary>
    private ValueTask RefusedAsync(UserAccount? user, string agentId, string code, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SupportPinVerificationRefused, user?.Id, user?.ContractId, cancellationToken, outcome: code, actorId: agentId, factor: AuthenticationFactor.SupportPin);

    private async ValueTask<SupportPinVerificationResult> RefusedInputAsync(string? agentId, UserAccount? user, SecurityError error, CancellationToken cancellationToken)
    {
        Log.SupportPinVerificationRefusedInput(_logger, agentId, error.Code);
        await VerificationFailedAsync(user, agentId, error.Code, cancellationToken).ConfigureAwait(false);
        return SupportPinVerificationResult.Invalid(error);
    }

    private ValueTask VerificationFailedAsync(UserAccount? user, string? agentId, string code, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SupportPinVerificationFailed, user?.Id, user?.ContractId, cancellationToken, outcome: code, actorId: agentId, factor: AuthenticationFactor.SupportPin);
}
