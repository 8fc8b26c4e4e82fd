using AccountSecurity.Crypto;
using AccountSecurity.TwoFactor.Totp;

namespace AccountSecurity.TwoFactor;

internal enum TotpOutcome
{
    Valid,
    Invalid,
    Replayed,
}

/// <summary>
/// Joins TOTP and at-rest protection: secrets are created and stored only encrypted (bound to the user's id as
/// associated data, so a stored secret cannot be moved to another user) and decrypted only for the moment of a check.
/// </summary>
internal sealed class TotpSecrets
{
    private readonly ITotpProvider _totp;
    private readonly ISecretProtector _protector;

    public TotpSecrets(ITotpProvider totp, ISecretProtector protector)
    {
        _totp = totp;
        _protector = protector;
    }

    public ITotpProvider Provider => _totp;

    /// <summary>A new secret: its protected form to store and its Base32 form to show once.</summary>
    public (string Protected, string Base32) Create(string userId)
    {
        using var secret = _totp.GenerateSecret();
        return (_protector.Protect(secret.Bytes, userId), secret.ToBase32());
    }

    /// <summary>
    /// Checks <paramref name="code"/>. When the secret was protected under a key that is no longer current,
    /// <paramref name="reprotected"/> carries it re-protected under the current key, for the caller to store with its
    /// acceptance write, so key rotation completes as users sign in.
    /// </summary>
    public TotpOutcome Verify(string userId, string protectedSecret, string? code, long? lastAcceptedTimeStep, out long step, out string? reprotected)
    {
        step = 0;
        reprotected = null;
        using var unprotected = _protector.Unprotect(protectedSecret, userId);
        if (!unprotected.Succeeded)
        {
            // A secret that does not decrypt (tampered, unknown key) can never verify: fail closed.
            return TotpOutcome.Invalid;
        }

        var result = _totp.Verify(unprotected.Secret, code, lastAcceptedTimeStep);
        if (result.Succeeded)
        {
            step = result.MatchedTimeStep!.Value;
            if (unprotected.ShouldReprotect)
            {
                reprotected = _protector.Protect(unprotected.Secret, userId);
            }

            return TotpOutcome.Valid;
        }

        return result.Status == TotpVerificationStatus.Replayed ? TotpOutcome.Replayed : TotpOutcome.Invalid;
    }
}
