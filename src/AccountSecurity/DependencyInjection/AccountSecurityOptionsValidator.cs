using AccountSecurity.Passwords.Hashing;
using Microsoft.Extensions.Options;

namespace AccountSecurity.DependencyInjection;

/// <summary>Validates every concern of <see cref="AccountSecurityOptions"/> and reports all problems at once.</summary>
internal sealed class AccountSecurityOptionsValidator : IValidateOptions<AccountSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountSecurityOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultPasswordPolicy is null)
        {
            failures.Add("DefaultPasswordPolicy is required.");
        }
        else
        {
            failures.AddRange(options.DefaultPasswordPolicy.Validate().Select(e => "DefaultPasswordPolicy: " + e.Message));
        }

        failures.AddRange(options.Hashing.Validate());
        failures.AddRange(options.PasswordReset.Validate());
        failures.AddRange(options.Registration.Validate());
        failures.AddRange(options.Sessions.Validate());
        failures.AddRange(options.Reauthentication.Validate());
        failures.AddRange(options.Notifications.Validate());
        failures.AddRange(options.Audit.Validate());
        failures.AddRange(options.Lockout.Password.Validate("Lockout.Password"));
        failures.AddRange(options.Lockout.SecondFactor.Validate("Lockout.SecondFactor"));
        failures.AddRange(options.Lockout.SupportPin.Validate("Lockout.SupportPin"));
        failures.AddRange(options.Lockout.TrustedDevices.Validate());
        failures.AddRange(options.Stores.Validate());
        failures.AddRange(options.SignIn.Validate());
        failures.AddRange(options.TwoFactor.Validate());
        failures.AddRange(options.Totp.Validate());
        failures.AddRange(options.SecretProtection.Validate());
        failures.AddRange(options.SupportPin.Validate(options.Hashing));
        if (options.SupportPin.EffectiveWorkFactor(options.Hashing) > options.Hashing.EffectiveMaximumWorkFactor)
        {
            // The bound applies to PIN hashes too: a PIN hasher that wrote hashes it would refuse to read is a misconfiguration.
            var maximum = options.Hashing.MaximumWorkFactor is null ? $"{options.Hashing.EffectiveMaximumWorkFactor}, Hashing.WorkFactor + {PasswordHashingOptions.DefaultMaximumWorkFactorMargin} by default" : $"{options.Hashing.EffectiveMaximumWorkFactor}";
            failures.Add($"SupportPin.WorkFactor ({options.SupportPin.EffectiveWorkFactor(options.Hashing)}) must not exceed Hashing.MaximumWorkFactor ({maximum}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
