using AccountSecurity.Diagnostics;

namespace AccountSecurity.SignIn;

/// <summary>The per-request session check that also tells a forced user without a second factor (one store read).</summary>
internal sealed partial class SignInService
{
    /// <inheritdoc />
    public async ValueTask<SessionStatus> GetSessionStatusAsync(AuthenticatedSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var span = AccountSecurityActivitySource.Start(SpanNames.SessionValidate);
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        var status = session.StatusFor(user);
        return span.Outcome(status, status switch
        {
            SessionStatus.Valid => "valid",
            SessionStatus.TwoFactorSetupRequired => "two_factor_setup_required",
            SessionStatus.PasswordChangeRequired => "password_change_required",
            _ => "invalid",
        });
    }
}
