using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.Options;

namespace AccountSecurity.SignIn;

/// <summary>The default <see cref="ISignInService"/>.</summary>
internal sealed partial class SignInService : ISignInService
{
    private readonly IUserStore _users;
    private readonly PasswordVerifier _passwords;
    private readonly TimeProvider _time;
    private readonly SignInOptions _options;
    private readonly SecondFactorVerifier _secondFactor;
    private readonly TwoFactorEnrollment _enrollment;
    private readonly UserUpdater _updater;
    private readonly SignInOutcomes _outcomes;
    private readonly TrustedDeviceOptions _devices;
    private readonly Passwords.Policy.SignInPasswordScreening? _screening;

    internal SignInService(
        IUserStore users,
        PasswordVerifier passwords,
        SecurityEventPublisher events,
        TimeProvider time,
        IOptions<AccountSecurityOptions> options,
        SecondFactorVerifier secondFactor,
        TwoFactorEnrollment enrollment,
        UserUpdater updater,
        Diagnostics.SampledLog? forged = null,
        Microsoft.Extensions.Logging.ILogger<SignInService>? logger = null,
        Passwords.Policy.SignInPasswordScreening? screening = null)
    {
        _screening = screening is { Enabled: true } ? screening : null;
        _users = users;
        _passwords = passwords;
        _time = time;
        _options = options.Value.SignIn;
        _secondFactor = secondFactor;
        _enrollment = enrollment;
        _updater = updater;
        _devices = options.Value.Lockout.TrustedDevices;
        _outcomes = new SignInOutcomes(events, time, updater, _devices, forged, logger);
    }

    /// <summary>The one mapping of step outcomes to results and events, for factor packages that complete sign-ins (passkeys).</summary>
    internal SignInOutcomes Outcomes => _outcomes;

    /// <inheritdoc />
    public ValueTask<SignInResult> PasswordSignInAsync(string? email, string? password, CancellationToken cancellationToken = default) =>
        PasswordSignInAsync(email, password, deviceToken: null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<SignInResult> PasswordSignInAsync(string? email, string? password, string? deviceToken, CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.SignInPassword);
        return span.Outcome(await PasswordSignInCoreAsync(email, password, DeviceClaim.FromToken(deviceToken), cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SignInResult> PasswordSignInCoreAsync(string? email, string? password, DeviceClaim? device, CancellationToken cancellationToken)
    {
        var user = EmailAddress.IsPlausible(email) ? await _users.FindByEmailAsync(email!, cancellationToken).ConfigureAwait(false) : null;
        if (user is null || !user.IsActive || user.PasswordHash is null)
        {
            // Spend the time a real check would, so timing does not tell which accounts exist. At capacity (or with a
            // check for this address already in flight), nothing is spent and the answer is busy, as for any account.
            if (await _passwords.SpendDummyAsync(email, password, cancellationToken).ConfigureAwait(false) is { } busy)
            {
                return SignInOutcomes.Busy(busy);
            }

            return await _outcomes.FailedAsync(user, SecurityErrorCodes.InvalidCredentials, AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false);
        }

        var purpose = SecondFactors.Any(user)
            ? SignInTicketPurpose.SecondFactor
            : user.IsTwoFactorForced ? SignInTicketPurpose.TwoFactorSetup : (SignInTicketPurpose?)null;
        string? ticket = null;
        var check = await _passwords.CheckAsync(user, password, SecurityErrorCodes.InvalidCredentials, cancellationToken, verified =>
        {
            // Decided on the state being written, so a concurrent 2FA change is honoured.
            var needed = SecondFactors.Any(verified)
                ? SignInTicketPurpose.SecondFactor
                : verified.IsTwoFactorForced ? SignInTicketPurpose.TwoFactorSetup : (SignInTicketPurpose?)null;
            purpose = needed;
            if (needed is null)
            {
                return verified;
            }

            // The ticket remembers the trusted device this password step came from, so the second step counts there too.
            var now = _time.GetUtcNow();
            var trusted = TrustedDevices.Find(verified, device, now, _devices);
            var issued = SignInTickets.Issue(verified, needed.Value, now, _options.TicketLifetime, trusted?.Id, _options.MaxPendingSignIns);
            ticket = issued.Ticket;
            return issued.User;
        }, device).ConfigureAwait(false);

        if (!check.Succeeded)
        {
            if (check.Result.Errors[0] is { Code: SecurityErrorCodes.Busy } busy)
            {
                return SignInOutcomes.Busy(busy);
            }

            return check.Result.LockedOutUntil is { } until
                ? await _outcomes.LockedOutAsync(user, until, AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false)
                : await _outcomes.FailedAsync(user, check.Result.Errors[0].Code, AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false);
        }

        var signedIn = check.User!;

        // The password was right: screen it in the background (a breach lookup), whatever step comes next.
        _screening?.Screen(signedIn, password!);
        return purpose switch
        {
            SignInTicketPurpose.SecondFactor => SignInResult.SecondFactorRequired(ticket!),
            SignInTicketPurpose.TwoFactorSetup => SignInResult.TwoFactorSetupRequired(ticket!),
            _ => await _outcomes.CompletedAsync(signedIn, [AuthenticationMethods.Password], cancellationToken, device: device).ConfigureAwait(false),
        };
    }

    /// <inheritdoc />
    public async ValueTask<bool> ValidateSessionAsync(AuthenticatedSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.SessionValidate);
        var valid = await IsSessionValidAsync(session, cancellationToken).ConfigureAwait(false);
        return span.Outcome(valid, valid ? "valid" : "invalid");
    }

    private async ValueTask<bool> IsSessionValidAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return session.IsCurrentFor(user);
    }
}
