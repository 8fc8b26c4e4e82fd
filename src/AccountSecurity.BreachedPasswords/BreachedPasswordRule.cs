using AccountSecurity.BreachedPasswords.Localization;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// The breached-password rule: one more password rule (<see cref="IAsyncPasswordRule"/>), which the core runs last on
/// every path that sets a password, only for a password every local rule accepted. Refuses with
/// <c>password_breached</c>; when the source cannot answer, allows (and logs) or refuses with
/// <c>password_breach_check_unavailable</c>, as <see cref="BreachedPasswordOptions.WhenUnavailable"/> says. The messages
/// are English or German by the current UI culture (<see cref="BreachedPasswordMessages"/>).
/// </summary>
internal sealed class BreachedPasswordRule : IAsyncPasswordRule
{
    private readonly BreachedPasswordChecker _checker;
    private readonly bool _refuseWhenUnavailable;

    public BreachedPasswordRule(BreachedPasswordChecker checker, IOptions<BreachedPasswordOptions> options)
    {
        _checker = checker;
        _refuseWhenUnavailable = options.Value.WhenUnavailable == BreachSourceUnavailableBehavior.Refuse;
    }

    public async ValueTask<SecurityError?> ValidateAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        var verdict = await _checker.CheckAsync(PasswordHashRange.Of(password), _refuseWhenUnavailable ? "refused" : "allowed", cancellationToken).ConfigureAwait(false);
        return verdict switch
        {
            BreachVerdict.Breached => new SecurityError(SecurityErrorCodes.PasswordBreached, BreachedPasswordMessages.PasswordBreached),
            BreachVerdict.Unavailable when _refuseWhenUnavailable => new SecurityError(SecurityErrorCodes.PasswordBreachCheckUnavailable, BreachedPasswordMessages.BreachCheckUnavailable),
            _ => null,
        };
    }
}
