using System.Collections.Immutable;
using AccountSecurity.Accounts;
using AccountSecurity.Crypto;

namespace AccountSecurity.Lockout;

/// <summary>
/// A device an attempt claims to come from: its id, and the hash of the token's secret when the claim comes from a
/// presented device token (the password step). A claim carried by a sign-in ticket (the second step) has no secret:
/// the ticket's own record names the device the password step verified.
/// </summary>
internal readonly record struct DeviceClaim(string DeviceId, string? SecretHash)
{
    /// <summary>
    /// Parses a device token (<c>id.secret</c>, both base64url); <see langword="null"/> for anything else (absent,
    /// malformed, oversized): such an attempt is simply untrusted. Never throws.
    /// </summary>
    public static DeviceClaim? FromToken(string? token) =>
        BearerToken.Parse(token) is { } parsed ? new DeviceClaim(parsed.Id, parsed.SecretHash) : null;

    /// <summary>A device that a live ticket's record names (no secret to check: the ticket stands for it).</summary>
    public static DeviceClaim? FromTicket(PendingSignIn? pending) => pending?.DeviceId is { } id ? new DeviceClaim(id, null) : null;

    /// <inheritdoc />
    public override string ToString() => $"DeviceClaim {{ DeviceId = {DeviceId} }}";
}

/// <summary>
/// The device-token rules in one place: tokens are <c>base64url(128-bit id).base64url(256-bit secret)</c>; only the
/// secret's SHA-256 is stored on the account (<see cref="TrustedDevice"/>), so neither a database reader nor a log can
/// make one. A token is valid only for the account that issued it, until its device's trust expires or the account's
/// devices are forgotten (password reset); it is rotated at every completed sign-in.
/// </summary>
internal static class TrustedDevices
{
    /// <summary>The device <paramref name="claim"/> names on <paramref name="user"/>, if trusted now and the claim's secret matches; otherwise <see langword="null"/>.</summary>
    public static TrustedDevice? Find(UserAccount user, DeviceClaim? claim, DateTimeOffset now, TrustedDeviceOptions options)
    {
        if (!options.Enabled || claim is not { } c || ById(user, c.DeviceId) is not { } device || device.LastSignInAt + options.Lifetime <= now)
        {
            return null;
        }

        return c.SecretHash is null
            || SecretHash.Same(device.SecretHash, c.SecretHash)
            ? device
            : null;
    }

    /// <summary>The device with <paramref name="id"/> (ordinal), trusted or not.</summary>
    public static TrustedDevice? ById(UserAccount user, string id)
    {
        foreach (var device in user.TrustedDevices)
        {
            if (string.Equals(device.Id, id, StringComparison.Ordinal))
            {
                return device;
            }
        }

        return null;
    }

    /// <summary><paramref name="user"/> with the device of the same id replaced by <paramref name="device"/>.</summary>
    public static UserAccount Replace(UserAccount user, TrustedDevice device) =>
        user with { TrustedDevices = user.TrustedDevices.Select(d => string.Equals(d.Id, device.Id, StringComparison.Ordinal) ? device : d).ToImmutableArray() };

    /// <summary>
    /// Remembers the device that just completed a sign-in on <paramref name="user"/> and returns its new token: the
    /// device <paramref name="claim"/> names (when it is still trusted) keeps its id and counts and gets a new secret;
    /// otherwise a new device is added. Expired devices are dropped, and beyond
    /// <see cref="TrustedDeviceOptions.MaxDevicesPerUser"/> the least recently used give way.
    /// </summary>
    public static (UserAccount User, string Token) Remember(UserAccount user, DeviceClaim? claim, DateTimeOffset now, TrustedDeviceOptions options)
    {
        var known = Find(user, claim, now, options);
        var (token, stored) = BearerToken.Issue(known?.Id);
        var id = stored.Id;
        var device = known is null
            ? new TrustedDevice(id, stored.SecretHash, now, now, FactorLockouts.None)
            : known with { SecretHash = stored.SecretHash, LastSignInAt = now };
        var others = user.TrustedDevices
            .Where(d => !string.Equals(d.Id, id, StringComparison.Ordinal) && d.LastSignInAt + options.Lifetime > now)
            .OrderByDescending(d => d.LastSignInAt)
            .Take(options.MaxDevicesPerUser - 1);
        return (user with { TrustedDevices = [device, .. others] }, token);
    }

    /// <summary>The device id of a token (its public part), for partitioning abuse limits; <see langword="null"/> for a malformed token.</summary>
    public static string? IdOf(string? token) => DeviceClaim.FromToken(token)?.DeviceId;
}
