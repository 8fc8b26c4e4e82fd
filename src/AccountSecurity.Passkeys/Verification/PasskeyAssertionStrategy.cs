using AccountSecurity.Events;
using AccountSecurity.Passkeys.Ceremonies;
using AccountSecurity.TwoFactor;
using AccountSecurity.Verification;

namespace AccountSecurity.Passkeys.Verification;

/// <summary>
/// A passkey assertion as a factor of the one pipeline. It shares the second factor's count, events and refund rule
/// with TOTP and recovery codes (<see cref="SecondFactorStrategy"/>): a wrong assertion is a counted failure, the count
/// is reserved before Fido2 verifies anything, and the success write — re-checked on fresh state — advances the
/// credential's signature counter and records the challenge as spent, so one assertion signs in once, on any instance.
/// </summary>
internal sealed class PasskeyAssertionStrategy : SecondFactorStrategy
{
    private readonly IFido2 _fido2;
    private readonly PasskeyOptions _options;
    private readonly AuthenticatorAssertionRawResponse _response;
    private readonly PasskeyCeremonyState _ceremony;
    private readonly UserVerificationRequirement _userVerification;
    private readonly DateTimeOffset _now;
    /// <summary>
    /// How long a spent challenge is kept beyond its expiry: instances' clocks differ by a little, and for synced passkeys
    /// (counters at zero) the spent list is the only replay guard, so an instance whose clock is behind must still find it.
    /// </summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private uint _newCounter;
    private bool _backedUp;
    private string? _publicKey;

    public PasskeyAssertionStrategy(
        IFido2 fido2,
        PasskeyOptions options,
        AuthenticatorAssertionRawResponse response,
        PasskeyCeremonyState ceremony,
        UserVerificationRequirement userVerification,
        DateTimeOffset now,
        SecurityEventPublisher events)
        : base(events)
    {
        _fido2 = fido2;
        _options = options;
        _response = response;
        _ceremony = ceremony;
        _userVerification = userVerification;
        _now = now;
    }

    /// <summary>Why the comparison failed, as a <see cref="SecurityErrorCodes"/> value; <see langword="null"/> after a match.</summary>
    public string? FailureCode { get; private set; }

    /// <summary>
    /// Whether the comparison found the signature counter gone backwards after a verified signature: a possible clone.
    /// Never set by a lost race between two genuine assertions (the success write's check), which is no evidence of one.
    /// </summary>
    public bool CounterRegressed { get; private set; }

    /// <summary>The credential that was presented, in the state the caller decided on (for <c>hwk</c>/<c>swk</c>).</summary>
    public static PasskeyCredential? Find(UserAccount user, byte[] rawId) => IndexOf(user, Base64UrlText.Encode(rawId)) is var i and >= 0 ? user.Passkeys[i] : null;

    /// <summary>The one look-up of a passkey by credential id (ordinal), always within one user's passkeys; -1 when none.</summary>
    public static int IndexOf(UserAccount user, string? credentialId)
    {
        for (var i = 0; i < user.Passkeys.Length; i++)
        {
            if (string.Equals(user.Passkeys[i].CredentialId, credentialId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    protected override async ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        var credential = Find(reserved, _response.RawId);
        if (credential is null)
        {
            return Fail(SecurityErrorCodes.PasskeyUnknownCredential);
        }

        if (IsSpent(reserved))
        {
            FailureCode = SecurityErrorCodes.PasskeyChallengeReplayed;
            return FactorComparison.Replayed;
        }

        var challenge = _ceremony.ChallengeBytes;
        if (PasskeyResponses.CheckClientData(_response.Response.ClientDataJson, "webauthn.get", _options.Origins, challenge) is { } clientDataCode)
        {
            return Fail(clientDataCode);
        }

        var options = AssertionOptions.Create(
            new Fido2Configuration { RPID = _options.RelyingPartyId, RPName = _options.RelyingPartyName, Origins = new HashSet<string>(_options.Origins, StringComparer.Ordinal) },
            challenge,
            [new PublicKeyCredentialDescriptor(Base64UrlText.Decode(credential.CredentialId))],
            _userVerification,
            null);

        VerifyAssertionResult result;
        try
        {
            result = await _fido2.MakeAssertionAsync(
                new MakeAssertionParams
                {
                    AssertionResponse = _response,
                    OriginalOptions = options,
                    StoredPublicKey = Base64UrlText.Decode(credential.PublicKey),
                    StoredSignatureCounter = credential.SignatureCounter,
                    IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(
                        reserved.PasskeyUserHandle is { } handle && string.Equals(Base64UrlText.Encode(p.UserHandle), handle, StringComparison.Ordinal)),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Fido2VerificationException exception)
        {
            CounterRegressed = exception.Code == Fido2NetLib.Exceptions.Fido2ErrorCode.InvalidSignCount;
            return Fail(PasskeyResponses.CodeOf(exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Fido2 parses the authenticator data and the signature itself; hostile bytes there can surface as format,
            // CBOR or crypto exceptions. Whatever it is, the assertion did not verify.
            return Fail(SecurityErrorCodes.PasskeyResponseInvalid);
        }

        // Fido2 refuses a non-zero counter that does not move forward; a counter that drops to zero after counting is a
        // regression too. Both zero is a synced passkey, which does not count.
        if (credential.SignatureCounter > 0 && result.SignCount <= credential.SignatureCounter)
        {
            CounterRegressed = true;
            return Fail(SecurityErrorCodes.PasskeyCounterRegressed);
        }

        // Backup eligibility is a permanent property of a credential (WebAuthn L3 §6.1.3): a change means another
        // authenticator answers for this credential id, and hwk/swk would be decided on a flag that lies.
        if (Fido2NetLib.Objects.AuthenticatorData.Parse(_response.Response.AuthenticatorData).IsBackupEligible != credential.IsBackupEligible)
        {
            return Fail(SecurityErrorCodes.PasskeyResponseInvalid);
        }

        _newCounter = result.SignCount;
        _backedUp = result.IsBackedUp;
        _publicKey = credential.PublicKey;
        return FactorComparison.Match;
    }

    protected override FactorAcceptance Accept(UserAccount current)
    {
        // On the state being written: a concurrent request that used this challenge first has recorded it.
        if (IsSpent(current))
        {
            FailureCode = SecurityErrorCodes.PasskeyChallengeReplayed;
            return FactorAcceptance.Replayed;
        }

        var index = IndexOf(current, Base64UrlText.Encode(_response.RawId));
        if (index < 0 || !string.Equals(current.Passkeys[index].PublicKey, _publicKey, StringComparison.Ordinal))
        {
            return FactorAcceptance.Unavailable; // removed (or replaced) since the comparison
        }

        var credential = current.Passkeys[index];
        if (credential.SignatureCounter > 0 && _newCounter <= credential.SignatureCounter)
        {
            // Another genuine assertion of this credential advanced the counter past ours meanwhile: ours is the older
            // one, answered like a double submit (no failure, no clone alarm).
            return FactorAcceptance.Replayed;
        }

        var spent = current.SpentPasskeyChallenges.RemoveAll(c => c.ExpiresAt + ClockSkew <= _now).Add(new SpentPasskeyChallenge(_ceremony.ChallengeHash, _ceremony.ExpiresAt));
        var used = credential with { SignatureCounter = _newCounter, IsBackedUp = _backedUp, LastUsedAt = _now };
        return FactorAcceptance.Accept(current with { Passkeys = current.Passkeys.SetItem(index, used), SpentPasskeyChallenges = spent });
    }

    private bool IsSpent(UserAccount user)
    {
        var hash = _ceremony.ChallengeHash;
        return user.SpentPasskeyChallenges.Any(c => string.Equals(c.ChallengeHash, hash, StringComparison.Ordinal));
    }

    private FactorComparison Fail(string code)
    {
        FailureCode = code;
        return FactorComparison.Wrong;
    }
}
