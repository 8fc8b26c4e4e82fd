using AccountSecurity.Accounts;
using AccountSecurity.Crypto;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Passwords.Reset;

/// <summary>The default <see cref="IPasswordResetService"/>.</summary>
internal sealed class PasswordResetService : IPasswordResetService
{
    /// <summary>Anything longer cannot be one of our tokens and is refused before any work.</summary>
    private const int MaxTokenLength = 128;

    private readonly IUserStore _users;
    private readonly UserUpdater _updater;
    private readonly NewPasswordRules _rules;
    private readonly IPasswordHasher _hasher;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly IServiceScopeFactory _scopes;
    private readonly PasswordResetQueue _queue;

    internal PasswordResetService(
        IUserStore users,
        UserUpdater updater,
        NewPasswordRules rules,
        IPasswordHasher hasher,
        SecurityEventPublisher events,
        TimeProvider time,
        IServiceScopeFactory scopes,
        PasswordResetQueue queue)
    {
        _users = users;
        _updater = updater;
        _rules = rules;
        _hasher = hasher;
        _events = events;
        _time = time;
        _scopes = scopes;
        _queue = queue;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> RequestResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        // Traced like any request; the background work that follows is a span of its own (PasswordResetRequestHandler).
        using var span = AccountSecurityActivitySource.Start(SpanNames.PasswordResetRequest);
        return span.Outcome(await RequestResetCoreAsync(email, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult> RequestResetCoreAsync(string? email, CancellationToken cancellationToken)
    {
        if (!EmailAddress.IsPlausible(email))
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.EmailInvalid));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // The handler and its stores are resolved now, in a scope of their own that the queued work owns: resolved
        // while the container is certainly alive, used after the answer, disposed when the work is done.
        var scope = _scopes.CreateAsyncScope();
        var queued = false;
        try
        {
            var handler = scope.ServiceProvider.GetRequiredService<PasswordResetRequestHandler>();
            var address = email!;
            queued = _queue.TryEnqueue(token => handler.HandleAsync(address, token), scope);
        }
        finally
        {
            if (!queued)
            {
                // Overloaded or shutting down (logged by the queue): answered as usual all the same.
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }

        return SecurityResult.Success();
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> ResetPasswordAsync(
        string? email,
        string? token,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.PasswordReset);
        return span.Outcome(await ResetPasswordCoreAsync(email, token, newPassword, newPasswordRepeated, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult> ResetPasswordCoreAsync(
        string? email,
        string? token,
        string? newPassword,
        string? newPasswordRepeated,
        CancellationToken cancellationToken)
    {
        var invalid = SecurityResult.Failed(new SecurityError(SecurityErrorCodes.ResetTokenInvalid, UserMessages.ResetTokenInvalid));
        if (!EmailAddress.IsPlausible(email) || string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return invalid;
        }

        var tokenHash = HashToken(token);
        var user = await _users.FindByEmailAsync(email!, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive || !NewPasswordRules.HasLiveToken(user, tokenHash, _time.GetUtcNow()))
        {
            await _events.PublishAsync(SecurityEventType.PasswordResetFailed, user?.Id, user?.ContractId, cancellationToken, outcome: SecurityErrorCodes.ResetTokenInvalid).ConfigureAwait(false);
            return invalid;
        }

        var (result, written) = await _rules.SetWithTokenAsync(
            user,
            newPassword,
            newPasswordRepeated,
            current => current.IsActive && NewPasswordRules.HasLiveToken(current, tokenHash, _time.GetUtcNow()),
            // The untrusted budget's lock ends (the owner proved the mailbox: this is their way back in from a new
            // device), and every device token is forgotten: a reset may follow a theft, and a thief's browser must not
            // keep a budget of its own. The owner's devices are trusted again at their next sign-in.
            next => next with { Lockouts = next.Lockouts.With(AuthenticationFactor.Password, FactorLockoutState.Clear), TrustedDevices = [] },
            invalid,
            _updater,
            _time,
            cancellationToken).ConfigureAwait(false);

        if (written)
        {
            await _events.PublishResultAsync(result, SecurityEventType.PasswordResetCompleted, SecurityEventType.PasswordResetFailed, user, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// Completes when every reset request answered so far has finished its work (lookup, token write, send). The
    /// deterministic wait for tests.
    /// </summary>
    internal Task WhenBackgroundWorkIdleAsync() => _queue.WhenIdleAsync();

    /// <summary>The token's stored form (<see cref="SecretHash"/>).</summary>
    internal static string HashToken(string token) => SecretHash.Of(token);
}
