using AccountSecurity.Accounts;
using AccountSecurity.Stores;

namespace AccountSecurity.Sessions;

/// <summary>
/// A thread-safe in-memory <see cref="ISessionStore"/> over the registered <see cref="IUserStore"/>: the embedded default
/// for samples, tests and single-instance hosts. Sessions are lost when the process ends (everyone signs in again).
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Lock _gate;
    private readonly Dictionary<string, SessionRecord> _byId;
    private readonly IUserStore _users;

    /// <summary>Creates a store with sessions of its own; it reads users through <paramref name="users"/> to validate a session.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> is <see langword="null"/>.</exception>
    public InMemorySessionStore(IUserStore users)
        : this(users, new InMemorySessionTable())
    {
    }

    /// <summary>
    /// A store over a shared <paramref name="table"/>: the container keeps one table for the process and makes a store per
    /// scope, so the store can read the host's user store, which may be scoped (EF Core), without capturing it.
    /// </summary>
    internal InMemorySessionStore(IUserStore users, InMemorySessionTable table)
    {
        ArgumentNullException.ThrowIfNull(users);
        _users = users;
        _gate = table.Gate;
        _byId = table.ById;
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryAdd(session.Id, session) ? StoreWriteResult.Success : StoreWriteResult.Duplicate);
        }
    }

    /// <inheritdoc />
    public async ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        SessionRecord? session;
        lock (_gate)
        {
            session = _byId.GetValueOrDefault(sessionId);
        }

        if (session is null)
        {
            return null;
        }

        // In memory a second lookup costs nothing; a database store answers both in one query.
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return new SessionValidationState(
            session,
            user is not null,
            user?.IsActive == true,
            user?.ContractId,
            user?.SecurityStamp,
            user is not null && user.IsTwoFactorForced && !SecondFactors.Any(user))
        {
            PasswordChangeRequired = user?.PasswordChangeRequired == true,
        };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<SessionRecord> sessions = [.. _byId.Values.Where(s => s.UserId == userId && s.EndedAt is null)];
            return ValueTask.FromResult(sessions);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byId.TryGetValue(sessionId, out var session) && session.EndedAt is null && session.LastSeenAt < notSeenSince)
            {
                _byId[sessionId] = session with { LastSeenAt = seenAt };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byId.TryGetValue(sessionId, out var session) && session.UserId == userId && session.EndedAt is null)
            {
                _byId[sessionId] = session with { EndedAt = endedAt, EndReason = reason };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var ended = _byId.Values.Where(s => s.UserId == userId && s.EndedAt is null && s.Id != exceptSessionId).ToList();
            foreach (var session in ended)
            {
                _byId[session.Id] = session with { EndedAt = endedAt, EndReason = reason };
            }

            return ValueTask.FromResult(ended.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byId.TryGetValue(sessionId, out var session) && session.UserId == userId && session.EndedAt is null && reauthenticatedAt < session.ExpiresAt)
            {
                if (session.ReauthenticatedAt is not { } recorded || recorded < reauthenticatedAt)
                {
                    _byId[sessionId] = session with { ReauthenticatedAt = reauthenticatedAt };
                }

                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(securityStamp);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byId.TryGetValue(sessionId, out var session) && session.UserId == userId && session.EndedAt is null)
            {
                _byId[sessionId] = session with { SecurityStamp = securityStamp };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var gone = _byId.Values.Where(s => (s.EndedAt ?? s.ExpiresAt) < before).Take(batchSize).Select(s => s.Id).ToList();
            foreach (var id in gone)
            {
                _byId.Remove(id);
            }

            return ValueTask.FromResult(gone.Count);
        }
    }
}

/// <summary>The sessions of the in-memory store, one per process, shared by the stores of every scope.</summary>
internal sealed class InMemorySessionTable
{
    public Lock Gate { get; } = new();

    public Dictionary<string, SessionRecord> ById { get; } = new(StringComparer.Ordinal);
}
