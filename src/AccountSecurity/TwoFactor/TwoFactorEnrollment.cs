using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.Verification;
using Microsoft.Extensions.Options;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// A new TOTP secret on its way to being pending: the encrypted form the store keeps and the Base32 form the user's
/// app gets once. Deliberately no record and no <see cref="object.ToString"/> override: nothing prints it.
/// </summary>
internal sealed class PendingTotpSecret
{
    public PendingTotpSecret(string protectedSecret, string base32, DateTimeOffset createdAt)
    {
        ProtectedSecret = protectedSecret;
        Base32 = base32;
        CreatedAt = createdAt;
    }

    public string ProtectedSecret { get; }

    public string Base32 { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary><paramref name="user"/> with this secret pending (any earlier pending secret replaced, an active one untouched).</summary>
    public UserAccount ApplyTo(UserAccount user) =>
        user with { TwoFactor = user.TwoFactor with { PendingProtectedSecret = ProtectedSecret, PendingCreatedAt = CreatedAt } };
}

/// <summary>
/// The setup pieces every enrolment path shares — the user's own setup (<see cref="TwoFactorService"/>) and the forced
/// setup during sign-in (which lives in SignIn and calls down to this): a new pending secret, what the assistant shows,
/// and the confirmation that activates 2FA. It knows nothing of sign-in; callers add their own precondition (a live
/// ticket) and their own change (spend it) to the confirmation's write.
/// </summary>
internal sealed class TwoFactorEnrollment
{
    private readonly SecondFactorVerifier _secondFactor;
    private readonly TotpSecrets _secrets;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly TwoFactorOptions _options;

    public TwoFactorEnrollment(SecondFactorVerifier secondFactor, TotpSecrets secrets, SecurityEventPublisher events, TimeProvider time, IOptions<AccountSecurityOptions> options)
    {
        _secondFactor = secondFactor;
        _secrets = secrets;
        _events = events;
        _time = time;
        _options = options.Value.TwoFactor;
    }

    /// <summary>A fresh secret for <paramref name="user"/>; nothing is stored until a caller writes <see cref="PendingTotpSecret.ApplyTo"/>.</summary>
    public PendingTotpSecret NewPendingSecret(UserAccount user)
    {
        var (protectedSecret, base32) = _secrets.Create(user.Id);
        return new PendingTotpSecret(protectedSecret, base32, _time.GetUtcNow());
    }

    /// <summary>After <paramref name="pending"/> was stored: the QR code, URI and manual key, and the setup-started event.</summary>
    public async ValueTask<SecurityResult<TwoFactorSetup>> StartedAsync(UserAccount user, PendingTotpSecret pending, CancellationToken cancellationToken)
    {
        var totp = _secrets.Provider;
        var uri = totp.BuildUri(user.Email, pending.Base32);
        if (!uri.Succeeded)
        {
            return SecurityResult<TwoFactorSetup>.From(uri);
        }

        await _events.PublishAsync(SecurityEventType.TwoFactorSetupStarted, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        return SecurityResult<TwoFactorSetup>.Success(new TwoFactorSetup(totp.FormatManualEntryKey(pending.Base32), uri.Value, totp.RenderQrCodeSvg(uri.Value), totp.RenderQrCodePng(uri.Value)));
    }

    /// <summary>
    /// Confirms the pending setup with a code from the new secret: 2FA becomes active (replacing any earlier secret), the
    /// stamp changes and new recovery codes are issued (returned once, stored hashed), all in the verifier's acceptance
    /// write, which also re-checks <paramref name="precondition"/> and applies <paramref name="alsoOnSuccess"/>.
    /// <see cref="FactorStatus.Unavailable"/> when no setup is pending (or it expired).
    /// </summary>
    public async ValueTask<(IReadOnlyList<string> Codes, FactorCheck Check)> ConfirmAsync(
        UserAccount user,
        string? code,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount>? alsoOnSuccess,
        CancellationToken cancellationToken,
        DeviceClaim? device = null)
    {
        var now = _time.GetUtcNow();
        bool SetupLive(UserAccount u) =>
            u.TwoFactor.PendingProtectedSecret is not null && u.TwoFactor.PendingCreatedAt is { } created && created + _options.SetupLifetime > _time.GetUtcNow();
        if (!SetupLive(user))
        {
            return ([], FactorCheck.Of(FactorStatus.Unavailable));
        }

        var (codes, hashes) = RecoveryCodes.Generate(_options.RecoveryCodeCount);
        var check = await _secondFactor.VerifyTotpAsync(
            user,
            code,
            pending: true,
            current => SetupLive(current) && precondition(current), // re-checked on the state being written
            current =>
            {
                var enabled = current with
                {
                    TwoFactor = current.TwoFactor with
                    {
                        IsEnabled = true,
                        ProtectedSecret = current.TwoFactor.PendingProtectedSecret,
                        PendingProtectedSecret = null,
                        PendingCreatedAt = null,
                        RecoveryCodeHashes = hashes,
                        EnabledAt = now,
                    },
                    SecurityStamp = SecurityStamp.New(),
                };
                return alsoOnSuccess is null ? enabled : alsoOnSuccess(enabled);
            },
            cancellationToken,
            device).ConfigureAwait(false);
        if (check.IsVerified)
        {
            await _events.PublishAsync(SecurityEventType.TwoFactorEnabled, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        }

        return (codes, check);
    }
}
