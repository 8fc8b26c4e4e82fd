using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// What a form's POST hands to the page it redirects to (post/redirect/get): a notice, the errors per form, and the
/// non-secret values the user typed. Never a password, code, PIN or token: those fields are always empty again.
/// </summary>
public sealed record FlashData
{
    /// <summary>A confirmation to show in green.</summary>
    public string? Notice { get; init; }

    /// <summary>Error messages by form (e.g. <c>password</c>, <c>policy</c>).</summary>
    public Dictionary<string, List<string>> Errors { get; init; } = [];

    /// <summary>Typed values by field name (e-mail addresses, numbers): only what may be shown again.</summary>
    public Dictionary<string, string> Values { get; init; } = [];

    /// <summary>The errors of one form (empty when none).</summary>
    public IReadOnlyList<string> ErrorsOf(string form) => Errors.TryGetValue(form, out var list) ? list : [];

    /// <summary>A typed value, or <see langword="null"/>.</summary>
    public string? Value(string field) => Values.TryGetValue(field, out var value) ? value : null;
}

/// <summary>
/// The TempData of this sample: a short-lived, data-protected (encrypted and signed), HttpOnly cookie read once by the
/// next GET. A reload of that GET shows the clean page; nothing in it is secret.
/// </summary>
public sealed class Flash(IDataProtectionProvider dataProtection, IStringLocalizer<SharedTexts> texts)
{
    private const string CookieName = "as.flash";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("AccountSecurity.WebSample.Flash").ToTimeLimitedDataProtector();

    /// <summary>Keeps <paramref name="data"/> for the next request and answers with a 303 to <paramref name="localUrl"/>.</summary>
    public IResult Redirect(HttpContext context, string localUrl, FlashData data)
    {
        // The console's own messages are keys of its texts: they are kept in the language of the request that made
        // them (a message of the library, or one with values in it, is kept as it is).
        data = data with
        {
            Notice = data.Notice is { } notice ? texts[notice].Value : null,
            Errors = data.Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => texts[m].Value).ToList(), StringComparer.Ordinal),
        };
        context.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(data), Lifetime), Options(context));
        return Respond.SeeOther(localUrl);
    }

    /// <summary>Keeps a notice for the next request and answers with a 303 to <paramref name="localUrl"/>.</summary>
    public IResult Notice(HttpContext context, string localUrl, string notice) => Redirect(context, localUrl, new FlashData { Notice = notice });

    /// <summary>Keeps one form's errors (and the values that may be shown again) and answers with a 303.</summary>
    public IResult Errors(HttpContext context, string localUrl, string form, IReadOnlyList<string> errors, Dictionary<string, string>? values = null) =>
        Redirect(context, localUrl, new FlashData { Errors = new() { [form] = [.. errors] }, Values = values ?? [] });

    /// <summary>What the previous POST left (read once: the cookie is deleted), or an empty one.</summary>
    public FlashData Take(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return new FlashData();
        }

        context.Response.Cookies.Delete(CookieName, Options(context));
        try
        {
            return JsonSerializer.Deserialize<FlashData>(_protector.Unprotect(value)) ?? new FlashData();
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException)
        {
            // Expired or tampered: the page simply shows without the previous form's messages.
            return new FlashData();
        }
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
