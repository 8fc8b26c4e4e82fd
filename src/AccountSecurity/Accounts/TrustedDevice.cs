namespace AccountSecurity.Accounts;

/// <summary>
/// A browser or app that completed a sign-in to this account and holds its device token (the OWASP "device cookie"):
/// its failed attempts are counted in its own budget (<see cref="Lockouts"/>), so strangers who lock the account's
/// untrusted budget (<see cref="UserAccount.Lockouts"/>) never lock out the owner's known devices. Only the SHA-256 of
/// the token's secret is stored; the token is rotated at every completed sign-in.
/// </summary>
/// <param name="Id">The device's public id (random, base64url): the part of the token a limiter may partition by.</param>
/// <param name="SecretHash">SHA-256 of the token's secret (hex); never the secret.</param>
/// <param name="CreatedAt">When the device first completed a sign-in.</param>
/// <param name="LastSignInAt">When the device last completed a sign-in; trust expires a configured time after it.</param>
/// <param name="Lockouts">The device's own failure counts, by factor (empty when clear).</param>
public sealed record TrustedDevice(string Id, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset LastSignInAt, FactorLockouts Lockouts)
{
    /// <summary>The device, its dates and its counts; never the secret's hash.</summary>
    public override string ToString() =>
        $"TrustedDevice {{ Id = {Id}, CreatedAt = {CreatedAt:O}, LastSignInAt = {LastSignInAt:O}, Lockouts = {Lockouts} }}";
}
