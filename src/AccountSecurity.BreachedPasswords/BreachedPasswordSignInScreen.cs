using AccountSecurity.Passwords.Policy;
using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// The check after a sign-in (<see cref="BreachedPasswordOptions.CheckAtSignIn"/>, off by default): the range is
/// derived on the sign-in request, the lookup runs in the core's background queue holding only that range. An
/// unavailable source marks nothing (the next sign-in tries again).
/// </summary>
internal sealed class BreachedPasswordSignInScreen : ISignInPasswordScreen
{
    private readonly BreachedPasswordChecker _checker;
    private readonly bool _enabled;

    public BreachedPasswordSignInScreen(BreachedPasswordChecker checker, IOptions<BreachedPasswordOptions> options)
    {
        _checker = checker;
        _enabled = options.Value.CheckAtSignIn;
    }

    public Func<CancellationToken, ValueTask<bool>>? Prepare(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!_enabled)
        {
            return null;
        }

        var range = PasswordHashRange.Of(password);
        return async cancellationToken => await _checker.CheckAsync(range, "not_marked", cancellationToken).ConfigureAwait(false) == BreachVerdict.Breached;
    }
}
