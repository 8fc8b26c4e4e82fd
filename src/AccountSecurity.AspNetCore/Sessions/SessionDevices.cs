using System.Net;
using System.Net.Sockets;

namespace AccountSecurity.AspNetCore.Sessions;

/// <summary>
/// How the layer describes the device a session is signed in from (<see cref="AccountSecurity.Sessions.SessionDevice"/>):
/// a readable label from the <c>User-Agent</c> header and an anonymised client address. The defaults of
/// <see cref="DependencyInjection.AccountSecuritySessionHttpOptions"/>; a host may use them in its own hooks.
/// </summary>
public static class SessionDevices
{
    /// <summary>How much of a <c>User-Agent</c> is looked at: real ones are far shorter; a longer one is not parsed further.</summary>
    private const int MaxUserAgentLength = 512;

    /// <summary>
    /// A readable label for a <c>User-Agent</c>: "Firefox on Windows", "Safari on iPhone", "Chrome on Android", "Edge on
    /// Windows", or the browser alone when the system is unknown ("Firefox"). <see langword="null"/> for anything it
    /// does not recognise (no header, a bot, a command-line client): a guess is never shown to a user as a fact.
    /// Dependency-free and bounded: it only looks for known tokens in the first 512 characters, and never throws.
    /// </summary>
    public static string? LabelFromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        var ua = userAgent.Length <= MaxUserAgentLength ? userAgent : userAgent[..MaxUserAgentLength];
        if (Has(ua, "bot/") || Has(ua, "spider") || Has(ua, "crawler"))
        {
            return null;
        }

        var browser = BrowserOf(ua);
        if (browser is null)
        {
            return null;
        }

        return SystemOf(ua) is { } system ? $"{browser} on {system}" : browser;
    }

    /// <summary>
    /// The client address as the layer records it by default: an IPv4 address without its last octet
    /// (<c>203.0.113.77</c> → <c>203.0.113.0</c>), an IPv6 address without its last 80 bits (its /48 site prefix:
    /// <c>2001:db8:abcd:12::1</c> → <c>2001:db8:abcd::</c>); an IPv4-mapped IPv6 address as IPv4.
    /// <see langword="null"/> for <see langword="null"/>. Enough for a user to recognise the network a session came
    /// from (their home, their office, another country), not enough to single out one subscriber.
    /// </summary>
    public static string? AnonymizeAddress(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        return new IPAddress(bytes).ToString();
    }

    private static string? BrowserOf(string ua)
    {
        // Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
        if (Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") || Has(ua, "Edge/"))
        {
            return "Edge";
        }

        if (Has(ua, "OPR/") || Has(ua, "OPiOS/") || Has(ua, "Opera"))
        {
            return "Opera";
        }

        if (Has(ua, "SamsungBrowser/"))
        {
            return "Samsung Internet";
        }

        if (Has(ua, "Firefox/") || Has(ua, "FxiOS/"))
        {
            return "Firefox";
        }

        if (Has(ua, "CriOS/") || Has(ua, "Chrome/") || Has(ua, "Chromium/"))
        {
            return "Chrome";
        }

        if (Has(ua, "Safari/") && Has(ua, "AppleWebKit/") && (Has(ua, "Version/") || Has(ua, "Mobile/")))
        {
            return "Safari";
        }

        return null;
    }

    private static string? SystemOf(string ua)
    {
        // iOS and Android first: their agents also say "like Mac OS X" and "Linux".
        if (Has(ua, "iPhone"))
        {
            return "iPhone";
        }

        if (Has(ua, "iPad"))
        {
            return "iPad";
        }

        if (Has(ua, "Android"))
        {
            return "Android";
        }

        if (Has(ua, "Windows"))
        {
            return "Windows";
        }

        if (Has(ua, "CrOS"))
        {
            return "ChromeOS";
        }

        if (Has(ua, "Macintosh") || Has(ua, "Mac OS X"))
        {
            return "macOS";
        }

        if (Has(ua, "Linux") || Has(ua, "X11"))
        {
            return "Linux";
        }

        return null;
    }

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);
}
