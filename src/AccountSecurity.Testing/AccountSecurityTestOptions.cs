using System.Security.Cryptography;
using AccountSecurity.DependencyInjection;

namespace AccountSecurity.Testing;

/// <summary>Options for test suites: valid, fast, and never for production.</summary>
public static class AccountSecurityTestOptions
{
    /// <summary>
    /// Makes <paramref name="options"/> start in a test: bcrypt work factor 4 (allowed only through
    /// <c>AllowInsecureWorkFactorForTesting</c>), a TOTP issuer, and a fresh random secret-protection key.
    /// Call it first in the configure delegate, then override what the test is about.
    /// </summary>
    public static AccountSecurityOptions ApplyFastTestDefaults(AccountSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Hashing.WorkFactor = 4;
        options.Hashing.AllowInsecureWorkFactorForTesting = true;
        options.Totp.Issuer = "AccountSecurity Tests";
        if (options.SecretProtection.Keys.Count == 0)
        {
            options.SecretProtection.AddKey("test-key", RandomNumberGenerator.GetBytes(32));
        }

        return options;
    }
}
