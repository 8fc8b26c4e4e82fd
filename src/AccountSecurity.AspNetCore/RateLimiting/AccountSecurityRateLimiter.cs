using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.AspNetCore.SignIn;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.RateLimiting;

/// <summary>The operations with abuse limits.</summary>
public enum AbuseOperation
{
    /// <summary>A sign-in step (password, second factor, recovery code, forced setup).</summary>
    SignIn = 0,

    /// <summary>A password reset request or completion.</summary>
    PasswordReset = 1,

    /// <summary>A support PIN verification.</summary>
    SupportPinVerification = 2,

    /// <summary>An invitation, a self-registration or the acceptance of either.</summary>
    UserCreation = 3,
}

/// <summary>Whether an attempt may go ahead, and if not, when to retry.</summary>
/// <param name="IsAllowed">Whether the attempt is within the limits.</param>
/// <param name="RetryAfter">When refused, how long until the window resets (for a <c>Retry-After</c> header).</param>
public readonly record struct AbuseLimitDecision(bool IsAllowed, TimeSpan? RetryAfter);

/// <summary>
/// Abuse limits per client address and per account, on the platform's partitioned fixed-window limiters
/// (<see cref="PartitionedRateLimiter"/>) that an <see cref="IAbuseLimiterProvider"/> supplies: in this process's memory
/// by default, shared by every instance through Redis with the <c>AccountSecurity.Redis</c> package. The JSON endpoints
/// use it; a host's own sign-in pages can too. Partition keys are never logged, and never leave the process in clear.
/// Behind a proxy, configure the forwarded-headers middleware first, so the client address is the caller's, not the
/// proxy's.
/// </summary>
public sealed class AccountSecurityRateLimiter : IDisposable
{
    private readonly bool _enabled;
    private readonly Dictionary<AbuseOperation, (PartitionedRateLimiter<string> PerClient, PartitionedRateLimiter<string> PerAccount)> _limiters;
    private readonly ILogger _logger;

    /// <summary>Creates the limiters from the options, in this process's memory (<see cref="InProcessAbuseLimiterProvider"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public AccountSecurityRateLimiter(IOptions<AccountSecurityAspNetCoreOptions> options, ILogger<AccountSecurityRateLimiter>? logger = null)
        : this(options, new InProcessAbuseLimiterProvider(), logger)
    {
    }

    /// <summary>Creates the limiters from the options, each from <paramref name="limiters"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="limiters"/> is <see langword="null"/>.</exception>
    public AccountSecurityRateLimiter(IOptions<AccountSecurityAspNetCoreOptions> options, IAbuseLimiterProvider limiters, ILogger<AccountSecurityRateLimiter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limiters);
        var limits = options.Value.RateLimits;
        _enabled = limits.Enabled;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _limiters = new()
        {
            [AbuseOperation.SignIn] = (limiters.CreateLimiter("sign-in.client", limits.SignInPerClient), limiters.CreateLimiter("sign-in.account", limits.SignInPerAccount)),
            [AbuseOperation.PasswordReset] = (limiters.CreateLimiter("password-reset.client", limits.PasswordResetPerClient), limiters.CreateLimiter("password-reset.account", limits.PasswordResetPerAccount)),
            [AbuseOperation.SupportPinVerification] = (limiters.CreateLimiter("support-pin.client", limits.SupportPinPerClient), limiters.CreateLimiter("support-pin.account", limits.SupportPinPerAccount)),
            [AbuseOperation.UserCreation] = (limiters.CreateLimiter("user-creation.client", limits.UserCreationPerClient), limiters.CreateLimiter("user-creation.account", limits.UserCreationPerAccount)),
        };
    }

    /// <summary>
    /// Counts an attempt of <paramref name="operation"/> against the client address of <paramref name="context"/> and,
    /// when given, against <paramref name="account"/> (an e-mail or user id, compared case-insensitively). Refused when
    /// either limit is reached; the account limit is not charged for an attempt the client limit already refused.
    /// A sign-in from a browser whose device cookie holds a token for <paramref name="account"/> (it signed in to it
    /// before) is counted in that device's own account partition: strangers who exhaust the account's limit never
    /// exhaust the owner's. Never throws for any account text.
    /// </summary>
    /// <remarks>
    /// With limiters shared through a server (Redis), this waits for its answer on the calling thread (bounded by the
    /// provider's timeout); prefer <see cref="TryAcquireAsync"/> where the caller can await.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public AbuseLimitDecision TryAcquire(AbuseOperation operation, HttpContext context, string? account = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_enabled || !_limiters.TryGetValue(operation, out var pair))
        {
            return new AbuseLimitDecision(true, null);
        }

        var decision = Decide(pair.PerClient.AttemptAcquire(ClientKey(context)));
        if (!decision.IsAllowed)
        {
            Log.RateLimited(_logger, operation, "client");
            return decision;
        }

        if (AccountKey(operation, context, account) is { } key)
        {
            decision = Decide(pair.PerAccount.AttemptAcquire(key));
            if (!decision.IsAllowed)
            {
                Log.RateLimited(_logger, operation, "account");
            }
        }

        return decision;
    }

    /// <summary>
    /// The same as <see cref="TryAcquire"/> (the same partitions and the same rules), without blocking a thread while a
    /// shared limiter's server answers. Never throws for any account text; a limiter that cannot reach its server
    /// answers from its fallback, never with an exception.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public async ValueTask<AbuseLimitDecision> TryAcquireAsync(AbuseOperation operation, HttpContext context, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_enabled || !_limiters.TryGetValue(operation, out var pair))
        {
            return new AbuseLimitDecision(true, null);
        }

        var decision = Decide(await pair.PerClient.AcquireAsync(ClientKey(context), 1, cancellationToken).ConfigureAwait(false));
        if (!decision.IsAllowed)
        {
            Log.RateLimited(_logger, operation, "client");
            return decision;
        }

        if (AccountKey(operation, context, account) is { } key)
        {
            decision = Decide(await pair.PerAccount.AcquireAsync(key, 1, cancellationToken).ConfigureAwait(false));
            if (!decision.IsAllowed)
            {
                Log.RateLimited(_logger, operation, "account");
            }
        }

        return decision;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (perClient, perAccount) in _limiters.Values)
        {
            perClient.Dispose();
            perAccount.Dispose();
        }
    }

    private static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    // The account partition: strangers share the account's; a browser whose device cookie holds a token for the account
    // (it signed in to it before) has that device's own, so strangers who exhaust the account's limit never exhaust the owner's.
    private static string? AccountKey(AbuseOperation operation, HttpContext context, string? account)
    {
        if (string.IsNullOrWhiteSpace(account))
        {
            return null;
        }

        var key = DeviceCookie.AccountKey(account);
        if (operation == AbuseOperation.SignIn
            && context.RequestServices?.GetService(typeof(DeviceCookie)) is DeviceCookie devices
            && devices.TokenFor(context, account) is { } token
            && AccountSecurity.Lockout.TrustedDevices.IdOf(token) is { } deviceId)
        {
            // The cookie is ours (it unprotected) and was issued for this account: its own partition.
            key = "device:" + deviceId + ":" + key;
        }

        return key;
    }

    private static AbuseLimitDecision Decide(RateLimitLease lease)
    {
        using (lease)
        {
            if (lease.IsAcquired)
            {
                return new AbuseLimitDecision(true, null);
            }

            return new AbuseLimitDecision(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
        }
    }
}
