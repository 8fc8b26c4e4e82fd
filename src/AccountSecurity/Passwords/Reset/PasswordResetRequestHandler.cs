using System.Security.Cryptography;
using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Reset;

/// <summary>
/// The work behind one reset request, run by <see cref="PasswordResetQueue"/> after the request was answered, in a DI
/// scope of its own: find the account, store a new token (unless one was issued moments ago), publish the event and
/// hand the token to the sender. Scoped, like the stores it uses.
/// </summary>
internal sealed class PasswordResetRequestHandler
{
    /// <summary>Token entropy: 256 bits (the requirement is at least 128).</summary>
    private const int TokenBytes = 32;

    private const string NoActiveAccount = "no_active_account";

    private readonly IUserStore _users;
    private readonly UserUpdater _updater;
    private readonly IPasswordResetTokenSender _sender;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly PasswordResetOptions _options;
    private readonly ILogger _logger;

    public PasswordResetRequestHandler(
        IUserStore users,
        UserUpdater updater,
        IPasswordResetTokenSender sender,
        SecurityEventPublisher events,
        TimeProvider time,
        IOptions<AccountSecurityOptions> options,
        ILogger<PasswordResetService> logger)
    {
        _users = users;
        _updater = updater;
        _sender = sender;
        _events = events;
        _time = time;
        _options = options.Value.PasswordReset;
        _logger = logger;
    }

    public async ValueTask HandleAsync(string email, CancellationToken cancellationToken)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.PasswordResetIssue);
        span.Outcome(true, await IssueAsync(email, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Does the work; returns its outcome code (the event's), for the trace.</summary>
    private async ValueTask<string> IssueAsync(string email, CancellationToken cancellationToken)
    {
        var user = await _users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive)
        {
            await _events.PublishAsync(SecurityEventType.PasswordResetRequested, null, null, cancellationToken, outcome: NoActiveAccount).ConfigureAwait(false);
            return NoActiveAccount;
        }

        var token = Crypto.Base64Url.Encode(RandomNumberGenerator.GetBytes(TokenBytes));
        var record = new PasswordResetTokenRecord(PasswordResetService.HashToken(token), _time.GetUtcNow() + _options.TokenLifetime);
        var stored = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || !current.IsActive)
                {
                    return UserChange.Keep(false);
                }

                var now = _time.GetUtcNow();

                // A token issued moments ago is still on its way: another mail now would only let anyone who knows
                // the address flood the owner's inbox. The answer was the same either way.
                var newestIssuedAt = current.PasswordResetTokens.Select(t => t.ExpiresAt - _options.TokenLifetime).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
                if (newestIssuedAt + _options.MinimumIntervalBetweenTokens > now)
                {
                    return UserChange.Keep(false);
                }

                var live = current.PasswordResetTokens.Where(t => t.ExpiresAt > now).OrderByDescending(t => t.ExpiresAt).Take(_options.MaxOutstandingTokens - 1);
                return UserChange.Save(current with { PasswordResetTokens = [record, .. live] }, true);
            },
            () => false,
            cancellationToken,
            user).ConfigureAwait(false);

        var outcome = stored ? "token_issued" : "not_issued_too_soon";
        await _events.PublishAsync(SecurityEventType.PasswordResetRequested, user.Id, user.ContractId, cancellationToken, outcome: outcome).ConfigureAwait(false);
        if (!stored)
        {
            return outcome;
        }

        try
        {
            await _sender.SendAsync(new PasswordResetMessage(user.Id, user.Email, token, record.ExpiresAt), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the mail queue throws (its message may quote the token) is logged by type only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ResetDeliveryFailed(_logger, user.Id, ex.GetType().Name);
            return "delivery_failed";
        }

        return outcome;
    }
}
