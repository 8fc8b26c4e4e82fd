using AccountSecurity.Accounts;
using AccountSecurity.Background;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// Runs the registered <see cref="ISignInPasswordScreen"/>s after a password sign-in, in the background: the sign-in
/// answers at once and never waits for a lookup. A password found compromised marks the account
/// <see cref="UserAccount.PasswordChangeRequired"/> (only while its password is still the one that signed in) and
/// publishes <see cref="SecurityEventType.PasswordFoundInBreach"/>, which notifies the owner.
/// </summary>
/// <remarks>
/// The password itself never reaches the queue: each screen's <see cref="ISignInPasswordScreen.Prepare"/> runs on the
/// sign-in request and the queued work holds only what it derived. Bounded like every background work of the library
/// (<see cref="BackgroundWorkQueue"/>): beyond <see cref="Capacity"/> waiting checks a check is skipped (logged), which
/// costs nothing but the mark. A singleton; created only when a screen is registered.
/// </remarks>
internal sealed class SignInPasswordScreening : IAsyncDisposable, IDisposable
{
    /// <summary>How many checks may wait.</summary>
    internal const int Capacity = 1000;

    /// <summary>How many run at once.</summary>
    internal const int Workers = 2;

    /// <summary>How long one check (lookups, the write, the event) may take before it is cancelled.</summary>
    internal static readonly TimeSpan WorkTimeout = TimeSpan.FromSeconds(60);

    private readonly ISignInPasswordScreen[] _screens;
    private readonly IServiceScopeFactory _scopes;
    private readonly BackgroundWorkQueue _queue;
    private readonly ILogger _logger;

    public SignInPasswordScreening(IEnumerable<ISignInPasswordScreen> screens, IServiceScopeFactory scopes, TimeProvider time, ILogger<SignInPasswordScreening> logger)
    {
        _screens = [.. screens];
        _scopes = scopes;
        _logger = logger;
        _queue = new BackgroundWorkQueue(Capacity, Workers, WorkTimeout, time, type => Log.SignInScreeningFailed(logger, type));
    }

    /// <summary>Whether any screen is registered (when not, sign-in skips everything here).</summary>
    public bool Enabled => _screens.Length > 0;

    /// <summary>
    /// Prepares every screen on <paramref name="password"/> now and queues the checks for <paramref name="user"/>
    /// (the state the password was verified on). Never throws for a full queue; never keeps the password.
    /// </summary>
    public void Screen(UserAccount user, string password)
    {
        var checks = _screens.Select(s => s.Prepare(password)).OfType<Func<CancellationToken, ValueTask<bool>>>().ToArray();
        if (checks.Length == 0)
        {
            return;
        }

        var userId = user.Id;
        var verifiedHash = user.PasswordHash;
        var scope = _scopes.CreateAsyncScope();
        var result = _queue.TryEnqueue(token => CheckAsync(scope.ServiceProvider, userId, verifiedHash, checks, token), scope);
        if (result != EnqueueResult.Queued)
        {
            Log.SignInScreeningDropped(_logger, result == EnqueueResult.ShuttingDown ? "shutting_down" : "queue_full");
            _ = scope.DisposeAsync().AsTask();
        }
    }

    /// <summary>Completes when everything queued so far has run (the deterministic wait for tests).</summary>
    public Task WhenIdleAsync() => _queue.WhenIdleAsync();

    private static async ValueTask CheckAsync(IServiceProvider services, string userId, string? verifiedHash, Func<CancellationToken, ValueTask<bool>>[] checks, CancellationToken cancellationToken)
    {
        var compromised = false;
        foreach (var check in checks)
        {
            if (await check(cancellationToken).ConfigureAwait(false))
            {
                compromised = true;
                break;
            }
        }

        if (!compromised)
        {
            return;
        }

        var updater = services.GetRequiredService<UserUpdater>();
        var (contractId, outcome) = await updater.UpdateAsync(
            userId,
            current =>
            {
                // A password changed since the sign-in is not the one that was found: nothing to ask for.
                if (current is null || !string.Equals(current.PasswordHash, verifiedHash, StringComparison.Ordinal))
                {
                    return UserChange.Keep<(string?, string)>((current?.ContractId, "unchanged"));
                }

                return current.PasswordChangeRequired
                    ? UserChange.Keep<(string?, string)>((current.ContractId, "already_marked"))
                    : UserChange.Save<(string?, string)>(current with { PasswordChangeRequired = true }, (current.ContractId, "marked"));
            },
            () => ((string?)null, "busy"),
            cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<SecurityEventPublisher>()
            .PublishAsync(SecurityEventType.PasswordFoundInBreach, userId, contractId, cancellationToken, outcome: outcome).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    /// <summary>For a container disposed synchronously: the queued work still finishes before this returns.</summary>
    public void Dispose() => _queue.Dispose();
}
