using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// Password reset by e-mail: a single-use, expiring token, stored only as a hash, that sets a new password under
/// the policy. A reset never switches off or bypasses the second factor: the next sign-in still asks for it.
/// </summary>
public sealed class PasswordResetService
{
    /// <summary>Token entropy: 256 bits (the requirement is at least 128).</summary>
    private const int TokenBytes = 32;

    /// <summary>Anything longer cannot be one of our tokens and is refused before any work.</summary>
    private const int MaxTokenLength = 128;

    private readonly IUserStore _users;
    private readonly UserUpdater _updater;
    private readonly NewPasswordRules _rules;
    private readonly IPasswordHasher _hasher;
    private readonly IPasswordResetTokenSender _sender;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly PasswordResetOptions _options;
    private readonly ILogger _logger;

    internal PasswordResetService(
        IUserStore users,
        UserUpdater updater,
        NewPasswordRules rules,
        IPasswordHasher hasher,
        IPasswordResetTokenSender sender,
        SecurityEventPublisher events,
        TimeProvider time,
        IOptions<AccountSecurityOptions> options,
        ILogger<PasswordResetService> logger)
    {
        _logger = logger;
        _users = users;
        _updater = updater;
        _rules = rules;
        _hasher = hasher;
        _sender = sender;
        _events = events;
        _time = time;
        _options = options.Value.PasswordReset;
    }

    /// <summary>
    /// Requests a reset for <paramref name="email"/>. Succeeds the same way whether or not an active account has that
    /// address (no enumeration); only a malformed address fails (<c>invalid_input</c>). When the account exists, a
    /// new token goes to <see cref="IPasswordResetTokenSender"/>; older tokens beyond the configured number are dropped.
    /// </summary>
    public async ValueTask<SecurityResult> RequestResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.IsPlausible(email))
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, "Enter a valid e-mail address."));
        }

        // Made whether or not the account exists, so both paths do the same cryptographic work.
        var tokenBytes = RandomNumberGenerator.GetBytes(TokenBytes);
        var token = Crypto.Base64Url.Encode(tokenBytes);
        var record = new PasswordResetTokenRecord(HashToken(token), _time.GetUtcNow() + _options.TokenLifetime);

        var user = await _users.FindByEmailAsync(email!, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            await _events.PublishAsync(SecurityEventType.PasswordResetRequested, null, null, cancellationToken, outcome: "no_active_account").ConfigureAwait(false);
            return SecurityResult.Success();
        }

        var stored = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || !current.IsActive)
                {
                    return UserChange<bool>.Keep(false);
                }

                var now = _time.GetUtcNow();

                // A token issued moments ago is still on its way: another mail now would only let anyone who knows
                // the address flood the owner's inbox. The answer stays the same either way.
                var newestIssuedAt = current.PasswordResetTokens.Select(t => t.ExpiresAt - _options.TokenLifetime).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
                if (newestIssuedAt + _options.MinimumIntervalBetweenTokens > now)
                {
                    return UserChange<bool>.Keep(false);
                }

                var live = current.PasswordResetTokens.Where(t => t.ExpiresAt > now).OrderByDescending(t => t.ExpiresAt).Take(_options.MaxOutstandingTokens - 1);
                return UserChange<bool>.Save(current with { PasswordResetTokens = [record, .. live] }, true);
            },
            () => false,
            cancellationToken,
            user).ConfigureAwait(false);

        await _events.PublishAsync(SecurityEventType.PasswordResetRequested, user.Id, user.ContractId, cancellationToken, outcome: stored ? "token_issued" : "not_issued_too_soon").ConfigureAwait(false);
        if (stored)
        {
            try
            {
                await _sender.SendAsync(new PasswordResetMessage(user.Id, user.Email, token, record.ExpiresAt), cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing mail queue must not answer differently from "no such account" (enumeration).
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.ResetDeliveryFailed(_logger, user.Id, ex.GetType().Name);
            }
        }

        return SecurityResult.Success();
    }

    /// <summary>
    /// Sets a new password with a reset token. An unknown e-mail and an unknown, expired or used token all fail alike
    /// with <c>reset_token_invalid</c>. Otherwise every problem with the new password is returned together
    /// (<c>password_mismatch</c>, policy violations, <c>password_reused</c>) and the token stays usable. On success
    /// the token and every other reset token die, the security stamp changes, and the password lockout is cleared;
    /// two-factor settings are untouched.
    /// </summary>
    public async ValueTask<SecurityResult> ResetPasswordAsync(
        string? email,
        string? token,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default)
    {
        var invalid = SecurityResult.Failed(new SecurityError(PasswordErrorCodes.ResetTokenInvalid, "This reset link is invalid or has expired. Request a new one."));
        if (!EmailAddress.IsPlausible(email) || string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return invalid;
        }

        var tokenHash = HashToken(token);
        var user = await _users.FindByEmailAsync(email!, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive || !HasLiveToken(user, tokenHash, _time.GetUtcNow()))
        {
            await _events.PublishAsync(SecurityEventType.PasswordResetFailed, user?.Id, user?.ContractId, cancellationToken, outcome: PasswordErrorCodes.ResetTokenInvalid).ConfigureAwait(false);
            return invalid;
        }

        var (errors, policy) = await _rules.CheckAsync(user, newPassword, newPasswordRepeated, verifiedCurrentPassword: null, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return SecurityResult.Failed(errors);
        }

        var hash = _hasher.Hash(newPassword);
        if (!hash.Succeeded)
        {
            return hash;
        }

        var result = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                // Re-checked on the fresh state: of two racing resets with one token, only one can find it.
                if (current is null || !current.IsActive || !HasLiveToken(current, tokenHash, _time.GetUtcNow()))
                {
                    return UserChange<SecurityResult>.Keep(invalid);
                }

                var next = current with
                {
                    PasswordHash = hash.Value,
                    PasswordHistory = PasswordHistory.After(current, policy),
                    PasswordChangedAt = _time.GetUtcNow(),
                    SecurityStamp = SecurityStamp.New(),
                    PasswordResetTokens = [],
                    PasswordLockout = FactorLockoutState.Clear,
                };
                return UserChange<SecurityResult>.Save(next, SecurityResult.Success());
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken,
            user).ConfigureAwait(false);

        await _events.PublishAsync(
            result.Succeeded ? SecurityEventType.PasswordResetCompleted : SecurityEventType.PasswordResetFailed,
            user.Id,
            user.ContractId,
            cancellationToken,
            outcome: result.Succeeded ? null : result.Errors[0].Code).ConfigureAwait(false);
        return result;
    }

    private static bool HasLiveToken(UserAccount user, string tokenHash, DateTimeOffset now)
    {
        var expected = Encoding.ASCII.GetBytes(tokenHash);
        var found = false;
        foreach (var record in user.PasswordResetTokens)
        {
            var matches = CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(record.TokenHash));
            found |= matches && record.ExpiresAt > now;
        }

        return found;
    }

    /// <summary>
    /// Completes when every reset request answered so far has finished its work (lookup, token write, send). The
    /// deterministic wait for tests; nothing runs in the background yet.
    /// </summary>
    internal Task WhenBackgroundWorkIdleAsync() => Task.CompletedTask;

    /// <summary>SHA-256 is enough at rest: the token has 256 random bits, so there is nothing to brute-force.</summary>
    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
