using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords.DependencyInjection;

/// <summary>Fails the host's start on unusable <see cref="BreachedPasswordOptions"/>, with every problem named.</summary>
internal sealed class BreachedPasswordOptionsValidator : IValidateOptions<BreachedPasswordOptions>
{
    public ValidateOptionsResult Validate(string? name, BreachedPasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MirrorDirectory is null)
        {
            if (options.ApiBaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add("BreachedPasswords.ApiBaseAddress must be an absolute http(s) address.");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.MirrorDirectory) || !Directory.Exists(options.MirrorDirectory))
        {
            problems.Add("BreachedPasswords.MirrorDirectory must name an existing folder of range files.");
        }

        if (options.MinimumBreachCount < 1)
        {
            problems.Add("BreachedPasswords.MinimumBreachCount must be at least 1.");
        }

        if (!Enum.IsDefined(options.WhenUnavailable))
        {
            problems.Add("BreachedPasswords.WhenUnavailable must be AllowAndLog or Refuse.");
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromSeconds(30))
        {
            problems.Add("BreachedPasswords.RequestTimeout must be between 100 ms and 30 s.");
        }

        if (options.TotalTimeout < options.RequestTimeout || options.TotalTimeout > TimeSpan.FromSeconds(60))
        {
            problems.Add("BreachedPasswords.TotalTimeout must be at least RequestTimeout and at most 60 s.");
        }

        if (options.MaxRetries is < 0 or > 5)
        {
            problems.Add("BreachedPasswords.MaxRetries must be between 0 and 5.");
        }

        if (options.MaxResponseBytes is < 4096 or > BreachedPasswordOptions.LargestResponseCap)
        {
            problems.Add("BreachedPasswords.MaxResponseBytes must be between 4096 and 16 MiB.");
        }

        if (options.CacheSize is < 0 or > 1_000_000)
        {
            problems.Add("BreachedPasswords.CacheSize must be between 0 and 1,000,000.");
        }

        if (options.CacheDuration <= TimeSpan.Zero)
        {
            problems.Add("BreachedPasswords.CacheDuration must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
