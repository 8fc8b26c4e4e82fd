using AccountSecurity.Sessions;
using AccountSecurity.Stores;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>What the session stores of a test were asked and answered, shared by every instance and scope of the test.</summary>
internal sealed class SessionStoreCounts
{
    private int _validationReads;
    private int _listReads;
    private int _touches;
    private int _touchesWritten;

    /// <summary>Calls of <see cref="ISessionStore.FindForValidationAsync"/>.</summary>
    public int ValidationReads => Volatile.Read(ref _validationReads);

    /// <summary>Calls of <see cref="ISessionStore.ListByUserAsync"/>.</summary>
    public int ListReads => Volatile.Read(ref _listReads);

    /// <summary>Calls of <see cref="ISessionStore.TouchAsync"/>.</summary>
    public int Touches => Volatile.Read(ref _touches);

    /// <summary>Calls of <see cref="ISessionStore.TouchAsync"/> that wrote "last seen".</summary>
    public int TouchesWritten => Volatile.Read(ref _touchesWritten);

    public void ValidationRead() => Interlocked.Increment(ref _validationReads);

    public void ListRead() => Interlocked.Increment(ref _listReads);

    public void Touched(bool written)
    {
        Interlocked.Increment(ref _touches);
        if (written)
        {
            Interlocked.Increment(ref _touchesWritten);
        }
    }

    public override string ToString() => $"validation reads {ValidationReads}, list reads {ListReads}, touches {Touches} ({TouchesWritten} written)";
}

/// <summary>An <see cref="ISessionStore"/> that counts the calls to <paramref name="inner"/> in <paramref name="counts"/>.</summary>
internal sealed class CountingSessionStore(ISessionStore inner, SessionStoreCounts counts) : ISessionStore
{
    public ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

    public ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
    {
        counts.ValidationRead();
        return inner.FindForValidationAsync(sessionId, cancellationToken);
    }

    public ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken)
    {
        counts.ListRead();
        return inner.ListByUserAsync(userId, cancellationToken);
    }

    public async ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken)
    {
        var written = await inner.TouchAsync(sessionId, seenAt, notSeenSince, cancellationToken);
        counts.Touched(written);
        return written;
    }

    public ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) =>
        inner.EndAsync(userId, sessionId, endedAt, reason, cancellationToken);

    public ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken) =>
        inner.EndAllAsync(userId, exceptSessionId, endedAt, reason, cancellationToken);

    public ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken) =>
        inner.MarkReauthenticatedAsync(userId, sessionId, reauthenticatedAt, cancellationToken);

    public ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken) =>
        inner.RenewStampAsync(userId, sessionId, securityStamp, cancellationToken);

    public ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken) =>
        inner.DeleteEndedAsync(before, batchSize, cancellationToken);
}
