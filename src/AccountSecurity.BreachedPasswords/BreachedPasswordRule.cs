using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// The breached-password rule: one more password rule (<see cref="IAsyncPasswordRule"/>), which the core runs last on
/// every path that sets a password, only for a password every local rule accepted. Refuses with
/// <c>password_breached</c>; when the source cannot answer, allows (and logs) or refuses with
/// <c>password_breach_check_unavailable</c>, as <see cref="BreachedPasswordOptions.WhenUnavailable"/> says.
/// </summary>
internal sealed class BreachedPasswordRule : IAsyncPasswordRule
{
    /// <summary>The message of <c>password_breached</c>: says what happened and what to do, never the password or how often.</summary>
    internal const string BreachedMessage = "This password has appeared in a data breach, so attackers are likely to try it. Choose a different password, one you have not used anywhere else.";

    /// <summary>The message of <c>password_breach_check_unavailable</c>.</summary>
    internal const string UnavailableMessage = "We could not check this password against known data breaches just now, so it was not saved. Try again in a moment.";

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
            BreachVerdict.Breached => new SecurityError(SecurityErrorCodes.PasswordBreached, BreachedMessage),
            BreachVerdict.Unavailable when _refuseWhenUnavailable => new SecurityError(SecurityErrorCodes.PasswordBreachCheckUnavailable, UnavailableMessage),
            _ => null,
        };
    }
}
