using AccountSecurity.SignIn;

namespace AccountSecurity.Events;

/// <summary>
/// The server-side session an operation acts for, so every event it raises names it (<see cref="SecurityEvent.SessionId"/>)
/// without each call passing it on. Flows with the async call like <see cref="System.Diagnostics.Activity.Current"/>;
/// it only labels events and decides nothing.
/// </summary>
internal static class SecurityEventContext
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The session id of the operation in flight; <see langword="null"/> outside one or for a session without a server-side record.</summary>
    public static string? SessionId => Current.Value;

    /// <summary>Labels the events raised until the returned scope is disposed with <paramref name="session"/>'s server-side id.</summary>
    public static Scope For(AuthenticatedSession? session) => For(session?.SessionId);

    /// <summary>Labels the events raised until the returned scope is disposed with <paramref name="sessionId"/>.</summary>
    public static Scope For(string? sessionId)
    {
        var previous = Current.Value;
        Current.Value = sessionId;
        return new Scope(previous);
    }

    /// <summary>Restores the previous label when disposed.</summary>
    internal readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
