using Microsoft.Extensions.Options;

namespace AccountSecurity.Redis;

/// <summary>Fails the host's start on settings that would make the shared limits wait too long or share keys by accident.</summary>
internal sealed class RedisAbuseLimitOptionsValidator : IValidateOptions<RedisAbuseLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisAbuseLimitOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Length > 64 || options.KeyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add("KeyPrefix must be 1 to 64 characters without whitespace or control characters.");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(1) || options.Timeout > TimeSpan.FromSeconds(5))
        {
            failures.Add("Timeout must be between 1 millisecond and 5 seconds: a request waits for it.");
        }

        if (options.RetryInterval < TimeSpan.FromMilliseconds(100) || options.RetryInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("RetryInterval must be between 100 milliseconds and 5 minutes.");
        }

        if (options.PartitionKeySecret is { Length: < 32 })
        {
            failures.Add("PartitionKeySecret must be at least 32 bytes (or null).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
