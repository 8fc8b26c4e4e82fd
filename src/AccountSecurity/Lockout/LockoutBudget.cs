using AccountSecurity.Accounts;

namespace AccountSecurity.Lockout;

/// <summary>
/// Which failure count an attempt is charged to, decided once per attempt on the state its reservation reads: the
/// account's untrusted budget (<see cref="UserAccount.Lockouts"/>, shared by every client without a valid device
/// token) or the own budget of the trusted device the attempt came from (<see cref="TrustedDevice.Lockouts"/>). The
/// reservation, the failure, the refund and the success's clearing all use the budget the reservation chose, so a
/// device's success never clears what strangers built up, and strangers' failures never lock a known device.
/// </summary>
internal abstract class LockoutBudget
{
    private LockoutBudget(AuthenticationFactor factor, FactorLockoutOptions options)
    {
        Factor = factor;
        Options = options;
    }

    /// <summary>The factor whose count this is.</summary>
    public AuthenticationFactor Factor { get; }

    /// <summary>How many failures lock this budget, and for how long.</summary>
    public FactorLockoutOptions Options { get; }

    /// <summary>The trusted device whose own budget this is; <see langword="null"/> for the account's untrusted budget.</summary>
    public abstract string? DeviceId { get; }

    /// <summary>The count on <paramref name="user"/>; clear when it has none (or the device is gone).</summary>
    public abstract FactorLockoutState Get(UserAccount user);

    /// <summary><paramref name="user"/> with the count set to <paramref name="state"/>; unchanged when the device is gone.</summary>
    public abstract UserAccount With(UserAccount user, FactorLockoutState state);

    /// <summary>The account's untrusted budget of <paramref name="factor"/>.</summary>
    public static LockoutBudget Untrusted(AuthenticationFactor factor, FactorLockoutOptions options) => new AccountBudget(factor, options);

    /// <summary>
    /// The budget of an attempt on <paramref name="user"/> (its state as the reservation reads it): the claimed device's
    /// own when it is trusted there now (<see cref="TrustedDevices.Find"/>), otherwise the account's untrusted one.
    /// </summary>
    public static LockoutBudget Resolve(UserAccount user, AuthenticationFactor factor, FactorLockoutOptions untrusted, DeviceClaim? device, TrustedDeviceOptions devices, DateTimeOffset now) =>
        TrustedDevices.Find(user, device, now, devices) is { } trusted
            ? new DeviceBudget(factor, devices.Budget, trusted.Id)
            : new AccountBudget(factor, untrusted);

    private sealed class AccountBudget(AuthenticationFactor factor, FactorLockoutOptions options) : LockoutBudget(factor, options)
    {
        public override string? DeviceId => null;

        public override FactorLockoutState Get(UserAccount user) => user.Lockouts.Get(Factor);

        public override UserAccount With(UserAccount user, FactorLockoutState state) => user with { Lockouts = user.Lockouts.With(Factor, state) };
    }

    private sealed class DeviceBudget(AuthenticationFactor factor, FactorLockoutOptions options, string deviceId) : LockoutBudget(factor, options)
    {
        public override string? DeviceId => deviceId;

        public override FactorLockoutState Get(UserAccount user) =>
            TrustedDevices.ById(user, deviceId) is { } device ? device.Lockouts.Get(Factor) : FactorLockoutState.Clear;

        public override UserAccount With(UserAccount user, FactorLockoutState state) =>
            TrustedDevices.ById(user, deviceId) is { } device
                ? TrustedDevices.Replace(user, device with { Lockouts = device.Lockouts.With(Factor, state) })
                : user;
    }
}
