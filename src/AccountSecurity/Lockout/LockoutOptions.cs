namespace AccountSecurity.Lockout;

/// <summary>Brute-force protection for each factor.</summary>
public sealed class LockoutOptions
{
    /// <summary>Password failures.</summary>
    /// <value>Defaults to 10 failures, then 5 minutes, doubling up to 24 hours.</value>
    public FactorLockoutOptions Password { get; set; } = new() { MaxFailedAttempts = 10 };

    /// <summary>Second-factor failures (TOTP and recovery codes).</summary>
    /// <value>Defaults to 5 failures, then 5 minutes, doubling up to 24 hours.</value>
    public FactorLockoutOptions SecondFactor { get; set; } = new() { MaxFailedAttempts = 5 };

    /// <summary>Support-PIN verification failures.</summary>
    /// <value>Defaults to 5 failures, then 5 minutes, doubling up to 24 hours.</value>
    public FactorLockoutOptions SupportPin { get; set; } = new() { MaxFailedAttempts = 5 };

    /// <summary>
    /// Device tokens and the failure budget of each device that signed in before (lockout an attacker cannot aim at
    /// the owner). The budgets above are then the account's <em>untrusted</em> budgets: attempts without a valid device
    /// token share them; a known device counts in its own.
    /// </summary>
    public TrustedDeviceOptions TrustedDevices { get; set; } = new();

    /// <summary>The options for <paramref name="factor"/>.</summary>
    public FactorLockoutOptions For(AuthenticationFactor factor) => factor switch
    {
        AuthenticationFactor.Password => Password,
        AuthenticationFactor.SecondFactor => SecondFactor,
        AuthenticationFactor.SupportPin => SupportPin,
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, "Unknown factor."),
    };
}

/// <summary>
/// Device tokens (the OWASP "device cookie" technique): a completed sign-in gives the device a token, bound to the
/// account and stored hashed; an attempt that presents it is counted in that device's own budget and is not blocked by
/// the lock that strangers' failures put on the account's untrusted budget.
/// </summary>
public sealed class TrustedDeviceOptions
{
    /// <summary>Whether completed sign-ins issue device tokens and presented tokens select the device's own budget.</summary>
    /// <value>Defaults to <see langword="true"/>. Off, every attempt counts in the account's budget (anyone who knows an
    /// e-mail address can then keep its owner out for the length of a lock).</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a device stays trusted after its last completed sign-in (each sign-in renews it).</summary>
    /// <value>Defaults to 90 days: a device used at least once a quarter stays known, a lost one ages out.</value>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The most trusted devices one account keeps; a new device evicts the one that signed in least recently.</summary>
    /// <value>Defaults to 10.</value>
    public int MaxDevicesPerUser { get; set; } = 10;

    /// <summary>
    /// The failure budget of one trusted device, per factor (password, second factor): small, because a device token
    /// copied from a shared computer must not buy many guesses.
    /// </summary>
    /// <value>Defaults to 5 failures, then 5 minutes, doubling up to 24 hours.</value>
    public FactorLockoutOptions Budget { get; set; } = new() { MaxFailedAttempts = 5 };

    internal IEnumerable<string> Validate()
    {
        if (Lifetime <= TimeSpan.Zero || Lifetime > TimeSpan.FromDays(400))
        {
            yield return "Lockout.TrustedDevices.Lifetime must be positive and at most 400 days.";
        }

        if (MaxDevicesPerUser is < 1 or > 50)
        {
            yield return "Lockout.TrustedDevices.MaxDevicesPerUser must be between 1 and 50.";
        }

        if (Budget is null)
        {
            yield return "Lockout.TrustedDevices.Budget must be set.";
            yield break;
        }

        foreach (var problem in Budget.Validate("Lockout.TrustedDevices.Budget"))
        {
            yield return problem;
        }
    }
}

/// <summary>Lockout settings of one factor: how many failures lock it and for how long, growing with each lock.</summary>
public sealed class FactorLockoutOptions
{
    /// <summary>The most attempts that may fail in a row; the last of them locks the factor. Never more than 100 (NIST SP 800-63B 5.2.2).</summary>
    /// <value>Defaults to 5.</value>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long the first lock lasts.</summary>
    /// <value>Defaults to 5 minutes.</value>
    public TimeSpan BaseLockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each further lock in a row lasts this many times longer than the one before.</summary>
    /// <value>Defaults to 2.</value>
    public double GrowthFactor { get; set; } = 2;

    /// <summary>The longest a single lock may last.</summary>
    /// <value>Defaults to 24 hours.</value>
    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The duration of the <paramref name="lockNumber"/>-th lock in a row (1 for the first).</summary>
    public TimeSpan DurationOfLock(int lockNumber)
    {
        var factor = Math.Pow(GrowthFactor, Math.Max(0, lockNumber - 1));
        var ticks = BaseLockoutDuration.Ticks * factor;
        return ticks >= MaxLockoutDuration.Ticks || double.IsInfinity(ticks)
            ? MaxLockoutDuration
            : TimeSpan.FromTicks((long)ticks);
    }

    internal IEnumerable<string> Validate(string name)
    {
        if (MaxFailedAttempts is < 1 or > 100)
        {
            yield return $"{name}.MaxFailedAttempts must be between 1 and 100 (NIST SP 800-63B allows no more than 100 consecutive failures).";
        }

        if (BaseLockoutDuration <= TimeSpan.Zero)
        {
            yield return $"{name}.BaseLockoutDuration must be positive.";
        }

        if (GrowthFactor < 1 || double.IsNaN(GrowthFactor) || double.IsInfinity(GrowthFactor))
        {
            yield return $"{name}.GrowthFactor must be a finite number of at least 1.";
        }

        if (MaxLockoutDuration < BaseLockoutDuration)
        {
            yield return $"{name}.MaxLockoutDuration must be at least BaseLockoutDuration.";
        }
    }
}
