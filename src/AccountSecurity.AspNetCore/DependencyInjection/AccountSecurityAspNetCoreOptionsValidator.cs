using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.DependencyInjection;

/// <summary>Fails the host's start on a configuration that would issue unsafe or unusable cookies or limits.</summary>
internal sealed class AccountSecurityAspNetCoreOptionsValidator : IValidateOptions<AccountSecurityAspNetCoreOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountSecurityAspNetCoreOptions options)
    {
        var failures = new List<string>();
        var cookies = options.Cookies;
        ValidateName(cookies.SessionCookieName, nameof(cookies.SessionCookieName), failures);
        ValidateName(cookies.PendingCookieName, nameof(cookies.PendingCookieName), failures);
        ValidateName(cookies.DeviceCookieName, nameof(cookies.DeviceCookieName), failures);
        string?[] names = [cookies.SessionCookieName, cookies.PendingCookieName, cookies.DeviceCookieName];
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            failures.Add("Cookies.SessionCookieName, Cookies.PendingCookieName and Cookies.DeviceCookieName must differ.");
        }

        if (string.IsNullOrEmpty(cookies.PendingCookiePath) || cookies.PendingCookiePath[0] != '/')
        {
            failures.Add("Cookies.PendingCookiePath must start with '/'.");
        }

        if (cookies.SameSite == Microsoft.AspNetCore.Http.SameSiteMode.None)
        {
            failures.Add("Cookies.SameSite must be Lax, Strict or Unspecified: SameSite=None sends the session cookie on cross-site requests.");
        }

        foreach (var (option, path) in new[] { ("TwoFactorSetupPath", cookies.TwoFactorSetupPath), ("PasswordChangePath", cookies.PasswordChangePath) })
        {
            if (path.Value is { } local && (local.StartsWith("//", StringComparison.Ordinal) || local.Contains('\\', StringComparison.Ordinal)))
            {
                failures.Add($"Cookies.{option} must be a local path: browsers read '//host' or a backslash as another site.");
            }
        }

        var sessions = options.Sessions;
        if (sessions.AnonymizeClientAddress is null || sessions.DescribeUserAgent is null)
        {
            failures.Add("Sessions.AnonymizeClientAddress and Sessions.DescribeUserAgent must be set (return null from them to record nothing).");
        }

        if (sessions.CleanUpInterval is { } interval && (interval < TimeSpan.FromMinutes(1) || interval > TimeSpan.FromDays(1)))
        {
            failures.Add("Sessions.CleanUpInterval must be between 1 minute and 1 day, or null to turn the clean-up service off.");
        }

        var limits = options.RateLimits;
        ValidateLimit(limits.SignInPerClient, nameof(limits.SignInPerClient), failures);
        ValidateLimit(limits.SignInPerAccount, nameof(limits.SignInPerAccount), failures);
        ValidateLimit(limits.PasswordResetPerClient, nameof(limits.PasswordResetPerClient), failures);
        ValidateLimit(limits.PasswordResetPerAccount, nameof(limits.PasswordResetPerAccount), failures);
        ValidateLimit(limits.UserCreationPerClient, nameof(limits.UserCreationPerClient), failures);
        ValidateLimit(limits.UserCreationPerAccount, nameof(limits.UserCreationPerAccount), failures);
        ValidateLimit(limits.SupportPinPerClient, nameof(limits.SupportPinPerClient), failures);
        ValidateLimit(limits.SupportPinPerAccount, nameof(limits.SupportPinPerAccount), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateName(string? value, string property, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(c => c <= ' ' || c >= 0x7f || c is ';' or ',' or '='))
        {
            failures.Add($"Cookies.{property} must be a non-empty cookie name of visible ASCII characters without ';', ',' or '='.");
        }
    }

    private static void ValidateLimit(AbuseLimit? limit, string property, List<string> failures)
    {
        if (limit is null || limit.PermitLimit < 1 || limit.Window <= TimeSpan.Zero || limit.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"RateLimits.{property} needs a PermitLimit of at least 1 and a Window between zero and one day.");
        }
    }
}
