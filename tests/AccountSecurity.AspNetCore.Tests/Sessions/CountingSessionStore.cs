using System.Collections.Concurrent;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.AspNetCore.Tests.Sessions;

/// <summary>Wraps the registered <see cref="ISessionStore"/> and records every call by name, in order.</summary>
internal sealed class CountingSessionStore
{
    public ConcurrentQueueList Calls { get; } = new();

    /// <summary>Replaces the container's session store with one that counts and forwards to it.</summary>
    public void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ISessionStore));
        services.Add(new ServiceDescriptor(typeof(ISessionStore), sp => new Counting((ISessionStore)(original.ImplementationFactory?.Invoke(sp) ?? original.ImplementationInstance
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), Calls), original.Lifetime));
    }

    /// <summary>A thread-safe list of call names.</summary>
    internal sealed class ConcurrentQueueList : IEnumerable<string>
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public void Add(string call) => _calls.Enqueue(call);

        public void Clear() => _calls.Clear();

        public IEnumerator<string> GetEnumerator() => _calls.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Counting(ISessionStore inner, ConcurrentQueueList calls) : ISessionStore
    {
        public ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken)
        {
            calls.Add(nameof(CreateAsync));
            return inner.CreateAsync(session, cancellationToken);
        }

        public ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
        {
            calls.Add(nameof(FindForValidationAsync));
            return inner.FindForValidationAsync(sessionId, cancellationToken);
        }

        public ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken)
        {
            calls.Add(nameof(ListByUserAsync));
            return inner.ListByUserAsync(userId, cancellationToken);
        }

        public ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken)
        {
            calls.Add(nameof(TouchAsync));
            return inner.TouchAsync(sessionId, seenAt, notSeenSince, cancellationToken);
        }

        public ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
        {
            calls.Add(nameof(EndAsync));
            return inner.EndAsync(userId, sessionId, endedAt, reason, cancellationToken);
        }

        public ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
        {
            calls.Add(nameof(EndAllAsync));
            return inner.EndAllAsync(userId, exceptSessionId, endedAt, reason, cancellationToken);
        }

        public ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken)
        {
            calls.Add(nameof(MarkReauthenticatedAsync));
            return inner.MarkReauthenticatedAsync(userId, sessionId, reauthenticatedAt, cancellationToken);
        }

        public ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken)
        {
            calls.Add(nameof(RenewStampAsync));
            return inner.RenewStampAsync(userId, sessionId, securityStamp, cancellationToken);
        }

        public ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
        {
            calls.Add(nameof(DeleteEndedAsync));
            return inner.DeleteEndedAsync(before, batchSize, cancellationToken);
        }
    }
}
