using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// Secrets a POST produces that the next GET must show — a new authenticator key, recovery codes — stay in this
/// process's memory for a few minutes, bound to the user; the browser only holds a random handle in a data-protected
/// cookie. So a page with secrets is still reached by a redirect (a reload never re-posts), and no secret is ever
/// put into a URL or a cookie.
/// </summary>
public sealed class OneTimeDisplays(IDataProtectionProvider dataProtection, TimeProvider time)
{
    private const int Capacity = 1000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IDataProtector _protector = dataProtection.CreateProtector("AccountSecurity.WebSample.OneTimeDisplay");

    /// <summary>Keeps <paramref name="payload"/> for <paramref name="userId"/> under <paramref name="purpose"/> (replacing an earlier one).</summary>
    public void Put(HttpContext context, string userId, string purpose, object payload)
    {
        Sweep();
        var handle = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _entries[handle] = new Entry(userId, payload, time.GetUtcNow() + Lifetime);
        context.Response.Cookies.Append(CookieName(purpose), _protector.Protect(handle), Options(context));
    }

    /// <summary>The payload for this browser and user, left in place (the setup page survives a reload).</summary>
    public T? Peek<T>(HttpContext context, string userId, string purpose)
        where T : class =>
        Find(context, userId, purpose, out _) as T;

    /// <summary>The payload for this browser and user, removed (recovery codes are shown once).</summary>
    public T? Take<T>(HttpContext context, string userId, string purpose)
        where T : class
    {
        var payload = Find(context, userId, purpose, out var handle) as T;
        Forget(context, purpose, handle);
        return payload;
    }

    /// <summary>Drops the payload of this browser under <paramref name="purpose"/>.</summary>
    public void Remove(HttpContext context, string purpose)
    {
        Find(context, userId: null, purpose, out var handle);
        Forget(context, purpose, handle);
    }

    private object? Find(HttpContext context, string? userId, string purpose, out string? handle)
    {
        handle = null;
        if (!context.Request.Cookies.TryGetValue(CookieName(purpose), out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            handle = _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return _entries.TryGetValue(handle, out var entry) && entry.ExpiresAt > time.GetUtcNow()
            && (userId is null || string.Equals(entry.UserId, userId, StringComparison.Ordinal))
            ? entry.Payload
            : null;
    }

    private void Forget(HttpContext context, string purpose, string? handle)
    {
        if (handle is not null)
        {
            _entries.TryRemove(handle, out _);
        }

        context.Response.Cookies.Delete(CookieName(purpose), Options(context));
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now || _entries.Count > Capacity)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static string CookieName(string purpose) => "as.show-" + purpose;

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = Lifetime,
        IsEssential = true,
    };

    private sealed record Entry(string UserId, object Payload, DateTimeOffset ExpiresAt);
}
