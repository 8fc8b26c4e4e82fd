using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.AspNetCore.SignIn;

/// <summary>What a sign-in page may tell the user about a <see cref="SignInResult"/>: one rule for the JSON endpoints and a host's own pages.</summary>
public static class SignInResultExtensions
{
    /// <summary>
    /// <paramref name="result"/> as the user may see it. Unless <see cref="AccountSecurityAspNetCoreOptions.RevealLockout"/>
    /// is set, a <see cref="SignInStatus.LockedOut"/> result comes back as <see cref="SignInStatus.Failed"/> with
    /// <paramref name="hiddenLockCode"/> and without its end: exactly what a wrong password (or, at the second step, a
    /// wrong code) answers, so the page never tells which accounts exist or are under attack. Every other result comes
    /// back unchanged. The library has raised its lockout event either way, so the host can still tell the real owner.
    /// </summary>
    /// <param name="result">The library's answer to a sign-in step.</param>
    /// <param name="options">The layer's options (<c>IOptions&lt;AccountSecurityAspNetCoreOptions&gt;.Value</c>).</param>
    /// <param name="hiddenLockCode">What a wrong secret of this step answers: <c>invalid_credentials</c> at the password, <c>invalid_code</c> at a code.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static SignInResult ForDisplay(this SignInResult result, AccountSecurityAspNetCoreOptions options, string hiddenLockCode = SecurityErrorCodes.InvalidCredentials)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        return result.Status == SignInStatus.LockedOut && !options.RevealLockout
            ? SignInResult.Failed(hiddenLockCode)
            : result;
    }
}
