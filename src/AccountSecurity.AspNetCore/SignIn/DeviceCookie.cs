using System.Security.Cryptography;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.DependencyInjection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.SignIn;

/// <summary>
/// The device cookie (OWASP "device cookies"): the device tokens this browser was given at its completed sign-ins, one
/// per account (at most <see cref="MaxAccounts"/>, most recent first), each beside the account key it was issued for
/// (the e-mail as the abuse limits key it). The value is encrypted and signed with ASP.NET Core Data Protection, so a
/// client can neither read nor make one; the core checks each token against the account's stored hash anyway. Never
/// logged; a cookie that does not unprotect is ignored (an untrusted attempt), never an error, and counted and logged
/// sampled (<see cref="AccountSecurity.Diagnostics.SampledLog"/>).
/// </summary>
internal sealed class DeviceCookie
{
    /// <summary>How many accounts one browser keeps a device token for (a shared family or support computer).</summary>
    public const int MaxAccounts = 5;

    private const string Purpose = "AccountSecurity.DeviceCookie.v1";
    private const int MaxCookieLength = 4000;
    private readonly IDataProtector _protector;
    private readonly AccountSecurityCookieOptions _cookies;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly AccountSecurity.Diagnostics.SampledLog _sampled;
    private readonly ILogger _logger;

    public DeviceCookie(IDataProtectionProvider protection, IOptions<AccountSecurityAspNetCoreOptions> options, IOptions<AccountSecurityOptions> core, TimeProvider time, AccountSecurity.Diagnostics.SampledLog sampled, ILogger<DeviceCookie>? logger = null)
    {
        _sampled = sampled;
        _logger = logger ?? NullLogger<DeviceCookie>.Instance;
        _protector = protection.CreateProtector(Purpose);
        _cookies = options.Value.Cookies;
        _lifetime = core.Value.Lockout.TrustedDevices.Lifetime;
        _time = time;
    }

    /// <summary>The key an account is known by here and in the abuse limits: the e-mail, trimmed, upper-cased, bounded.</summary>
    public static string AccountKey(string account)
    {
        var key = account.Trim();
        return (key.Length > 320 ? key[..320] : key).ToUpperInvariant();
    }

    /// <summary>The device token this browser holds for <paramref name="account"/>; <see langword="null"/> when none (or the cookie is not ours).</summary>
    public string? TokenFor(HttpContext context, string? account)
    {
        if (string.IsNullOrWhiteSpace(account))
        {
            return null;
        }

        var key = AccountKey(account);
        foreach (var (entryKey, token) in Read(context))
        {
            if (string.Equals(entryKey, key, StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>Stores <paramref name="token"/> for <paramref name="account"/> first in the cookie (replacing that account's old one), keeping the others.</summary>
    public void Remember(HttpContext context, string account, string token)
    {
        var key = AccountKey(account);
        var entries = Read(context).Where(e => !string.Equals(e.Key, key, StringComparison.Ordinal)).Take(MaxAccounts - 1).Prepend((Key: key, Token: token));
        var payload = string.Join('\n', entries.Select(e => e.Key + "\t" + e.Token));
        context.Response.Cookies.Append(_cookies.DeviceCookieName, _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
            Expires = _time.GetUtcNow() + _lifetime,
        });
    }

    private List<(string Key, string Token)> Read(HttpContext context)
    {
        var entries = new List<(string Key, string Token)>();
        if (!context.Request.Cookies.TryGetValue(_cookies.DeviceCookieName, out var value) || string.IsNullOrEmpty(value) || value.Length > MaxCookieLength)
        {
            return entries;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // Not ours, tampered, or protected with a retired key: an untrusted browser. Counted, and logged sampled (a
            // client can send these as fast as it likes); never the cookie's value.
            if (_sampled.ShouldLog(AccountSecurity.Diagnostics.ForgedStateKind.DeviceCookie, out var suppressed))
            {
                Log.DeviceCookieRefused(_logger, suppressed);
            }

            return entries;
        }

        foreach (var line in payload.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(MaxAccounts))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && tab < line.Length - 1)
            {
                entries.Add((line[..tab], line[(tab + 1)..]));
            }
        }

        return entries;
    }
}
