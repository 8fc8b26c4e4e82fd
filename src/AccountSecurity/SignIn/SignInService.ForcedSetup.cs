using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using AccountSecurity.TwoFactor;

namespace AccountSecurity.SignIn;

/// <summary>
/// Forced setup during sign-in, for a user on whom an administrator forced 2FA: the sign-in ticket stands in for the
/// password just checked. A sign-in flow, so it lives here and calls two-factor's setup pieces, never the other way.
/// </summary>
internal sealed partial class SignInService
{
    /// <inheritdoc />
    public async ValueTask<SecurityResult<TwoFactorSetup>> BeginTwoFactorSetupAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.SignInSetupBegin);
        return span.Outcome(await BeginTwoFactorSetupCoreAsync(ticket, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SecurityResult<TwoFactorSetup>> BeginTwoFactorSetupCoreAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (!_outcomes.TryParseTicket(ticket, out var userId, out var ticketHash))
        {
            return SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
        }

        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()) && StepApplies(u, SignInTicketPurpose.TwoFactorSetup);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !Live(user))
        {
            return SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
        }

        var pending = _enrollment.NewPendingSecret(user);
        var stored = await _updater.UpdateAsync(
            user.Id,
            current => current is not null && Live(current) ? UserChange.Save(pending.ApplyTo(current), true) : UserChange.Keep(false),
            () => false,
            cancellationToken).ConfigureAwait(false);
        return stored
            ? await _enrollment.StartedAsync(user, pending, cancellationToken).ConfigureAwait(false)
            : SecurityResult<TwoFactorSetup>.Failed(ExpiredSignIn());
    }

    /// <inheritdoc />
    public ValueTask<SignInResult> TwoFactorSetupSignInAsync(string? ticket, string? code, CancellationToken cancellationToken = default) =>
        TicketStepAsync(SpanNames.SignInSetupComplete, ticket, SignInTicketPurpose.TwoFactorSetup, AuthenticationMethods.Otp, cancellationToken, async (user, step) =>
        {
            var (codes, check) = await _enrollment.ConfirmAsync(user, code, step.Live, step.Spend, cancellationToken, step.Device).ConfigureAwait(false);
            return new TicketStepOutcome(check, codes);
        });

    private static SecurityError ExpiredSignIn() => new(SecurityErrorCodes.InvalidTicket, UserMessages.SignInExpired);
}
