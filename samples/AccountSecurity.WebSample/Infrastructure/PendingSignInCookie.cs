using AccountSecurity.SignIn;
using Microsoft.AspNetCore.DataProtection;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>What the pending sign-in waits for.</summary>
public enum PendingStep
{
    /// <summary>A TOTP or recovery code.</summary>
    SecondFactor,

    /// <summary>The forced 2FA setup.</summary>
    Setup,
}

/// <summary>
/// Keeps the library's sign-in ticket between the password step and the second factor in an encrypted,
/// time-limited, HttpOnly cookie scoped to /signin — never in the URL or a form field.
/// </summary>
public sealed class PendingSignInCookie(IDataProtectionProvider dataProtection, Microsoft.Extensions.Options.IOptions<AccountSecurity.DependencyInjection.AccountSecurityOptions> options)
{
    private const string CookieName = "as.pending";
    private const string CookiePath = "/signin";
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("AccountSecurity.WebSample.PendingSignIn").ToTimeLimitedDataProtector();
    private readonly TimeSpan _lifetime = options.Value.SignIn.TicketLifetime;

    /// <summary>Stores the ticket of a <see cref="SignInStatus.SecondFactorRequired"/> or <see cref="SignInStatus.TwoFactorSetupRequired"/> result.</summary>
    public void Set(HttpContext context, PendingStep step, string ticket)
    {
        var value = _protector.Protect(step + "|" + ticket, _lifetime);
        context.Response.Cookies.Append(CookieName, value, Options(context));
    }

    /// <summary>The pending ticket for <paramref name="step"/>, or <see langword="null"/> (none, expired, tampered, other step).</summary>
    public string? Get(HttpContext context, PendingStep step)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var plain = _protector.Unprotect(value);
            var prefix = step + "|";
            return plain.StartsWith(prefix, StringComparison.Ordinal) ? plain[prefix.Length..] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Forgets the pending sign-in.</summary>
    public void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    private CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,
        MaxAge = _lifetime,
        IsEssential = true,
    };
}
