using System.Security.Cryptography;
using AccountSecurity.DependencyInjection;
using AccountSecurity.TwoFactor.Totp;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Tests.TwoFactor.Totp;

internal static class TotpTestSetup
{
    public const string Issuer = "Example Cloud";

    public static AccountSecurityOptions Options(Action<TotpOptions>? configure = null)
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = Issuer;
        options.SecretProtection.AddKey("test", RandomNumberGenerator.GetBytes(32));
        configure?.Invoke(options.Totp);
        return options;
    }

    public static TotpProvider Provider(FakeTimeProvider time, Action<TotpOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(configure)), time);

    public static FakeTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
}
