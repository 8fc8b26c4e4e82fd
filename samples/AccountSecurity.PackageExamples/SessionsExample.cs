using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>docs/sessions.md's example: the host's session bounds and how the HTTP layer records devices and cleans up.</summary>
public static class SessionsExample
{
    /// <summary>Builds (does not run) an app with its own session defaults and bounds.</summary>
    public static WebApplication Build(byte[] key)
    {
        // snippet:begin sessions
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddAccountSecurity(options =>
            {
                options.SecretProtection.AddKey("2026-11", key);
                options.Sessions.DefaultIdleTimeout = TimeSpan.FromMinutes(15);    // a contract owner may set 5 min .. 1 h
                options.Sessions.DefaultAbsoluteLifetime = TimeSpan.FromHours(8);  // 1 h .. 24 h
                options.Sessions.DefaultMaxSessionsPerUser = 5;                    // the oldest session gives way
            })
            .AddAspNetCore(http =>
            {
                // Keep only the /16 of an IPv4 address (and the /32 of IPv6) instead of the default /24 (/48).
                http.Sessions.AnonymizeClientAddress = address =>
                {
                    var bytes = address.MapToIPv6().GetAddressBytes();
                    var keep = address.IsIPv4MappedToIPv6 || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 14 : 4;
                    Array.Clear(bytes, keep, bytes.Length - keep);
                    var kept = new System.Net.IPAddress(bytes);
                    return kept.IsIPv4MappedToIPv6 ? kept.MapToIPv4().ToString() : kept.ToString();
                };
                http.Sessions.CleanUpInterval = null;                               // a scheduled job runs SessionCleanup instead
            });
        // snippet:end

        return builder.Build();
    }
}
