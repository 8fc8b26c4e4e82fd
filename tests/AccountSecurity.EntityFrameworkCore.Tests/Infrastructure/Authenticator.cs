using System.Globalization;
using AccountSecurity.TwoFactor;
using OtpNet;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// Plays the user's authenticator app: holds the secret read from the setup's <c>otpauth://</c> URI (as a phone
/// scanning the QR code would) and computes codes at the shared fake clock's time.
/// </summary>
internal sealed class Authenticator
{
    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    private Authenticator(byte[] secret, TimeProvider time)
    {
        _secret = secret;
        _time = time;
    }

    /// <summary>Scans <paramref name="setup"/>: decodes the <c>secret=</c> parameter of its URI.</summary>
    public static Authenticator Scan(TwoFactorSetup setup, TimeProvider time)
    {
        var query = new Uri(setup.OtpAuthUri).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        return new Authenticator(Base32Encoding.ToBytes(query["secret"]), time);
    }

    /// <summary>The code the app shows now.</summary>
    public string Code() => new Totp(_secret).ComputeTotp(_time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Distinct six-digit codes, none of them valid now within the default drift window (one step either side).
    /// </summary>
    public IReadOnlyList<string> WrongCodes(int count)
    {
        var totp = new Totp(_secret);
        var now = _time.GetUtcNow().UtcDateTime;
        var valid = new[] { -60, -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet(StringComparer.Ordinal);
        var start = int.Parse(totp.ComputeTotp(now), CultureInfo.InvariantCulture);
        return Enumerable.Range(1, count * 2)
            .Select(i => ((start + (i * 7919)) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture))
            .Where(c => !valid.Contains(c))
            .Distinct(StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
