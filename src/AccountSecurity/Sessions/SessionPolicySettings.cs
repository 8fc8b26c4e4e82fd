namespace AccountSecurity.Sessions;

/// <summary>
/// A contract's session policy, set by its owner within the bounds the host allows (<see cref="SessionOptions"/>):
/// how long a session may sit unused, how long it may last at all, and how many a user may hold at once. A
/// <see langword="null"/> member takes the host's default. Applies to sessions that begin after it is set.
/// </summary>
/// <param name="IdleTimeout">How long a session may sit unused (ASVS V7.3.1); between <see cref="SessionOptions.MinIdleTimeout"/> and <see cref="SessionOptions.MaxIdleTimeout"/>.</param>
/// <param name="AbsoluteLifetime">How long a session may last whatever its use (ASVS V7.3.2); between <see cref="SessionOptions.MinAbsoluteLifetime"/> and <see cref="SessionOptions.MaxAbsoluteLifetime"/>.</param>
/// <param name="MaxSessionsPerUser">How many sessions a user may hold at once; at a new sign-in beyond it the oldest session is ended. 1 to <see cref="SessionOptions.MaxSessionsPerUserLimit"/>.</param>
public sealed record SessionPolicySettings(TimeSpan? IdleTimeout = null, TimeSpan? AbsoluteLifetime = null, int? MaxSessionsPerUser = null);
