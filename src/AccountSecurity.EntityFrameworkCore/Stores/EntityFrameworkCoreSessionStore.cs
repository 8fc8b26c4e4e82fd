using System.Runtime.CompilerServices;
using AccountSecurity.EntityFrameworkCore.Model;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// An <see cref="ISessionStore"/> on EF Core, in the same database as <see cref="EntityFrameworkCoreUserStore{TContext}"/>
/// (the sessions table, <see cref="AccountSecurityTables.Sessions"/>). Safe for several app instances sharing one
/// database: every write is one conditional statement (<c>UPDATE … WHERE Id = @id AND EndedAt IS NULL …</c>), never a
/// read-modify-write, so of instances racing on one session exactly one write takes effect.
/// </summary>
/// <remarks>
/// <see cref="FindForValidationAsync"/>, the read of every request, is one query: the session row joined with its user's
/// row, projecting only the user's active flag, contract, security stamp and whether forced 2FA still lacks a factor,
/// never the whole user. Like the context it wraps, one instance serves one scope and is not safe for concurrent use;
/// <c>UseEntityFrameworkCore&lt;TContext&gt;()</c> registers it scoped. Reads are untracked; writes bypass the change
/// tracker except <see cref="CreateAsync"/>, which saves through the context like the other stores' creates.
/// </remarks>
/// <typeparam name="TContext">The context that maps AccountSecurity's tables.</typeparam>
public sealed class EntityFrameworkCoreSessionStore<TContext> : ISessionStore
    where TContext : DbContext
{
    // A session id no row can have (longer than the column, or text PostgreSQL cannot hold): unknown, without a query.
    private const int MaxSessionIdLength = 64;

    // The read of every request, compiled once per model (EF refuses a compiled query on a model other than the one it
    // was compiled against: one context type may run on two providers, or two schemas, in one process), so a request
    // builds no expression tree and looks up no query cache.
    private static readonly ConditionalWeakTable<IModel, Func<TContext, string, CancellationToken, Task<ValidationRow?>>> CompiledFindForValidation = [];

    // One query: the session row LEFT JOIN its user's row, with the user narrowed to what decides the session.
    private static Func<TContext, string, CancellationToken, Task<ValidationRow?>> CompileFindForValidation(IModel model) =>
        EF.CompileAsyncQuery((TContext context, string sessionId, CancellationToken cancellationToken) => (
                from s in context.Set<SessionEntity>().AsNoTracking()
                where s.Id == sessionId
                join u in context.Set<UserEntity>().AsNoTracking() on s.UserId equals u.Id into users
                from u in users.DefaultIfEmpty()
                select new ValidationRow
                {
                    Session = s,
                    UserId = u == null ? null : u.Id,
                    UserIsActive = u != null && u.IsActive,
                    UserContractId = u == null ? null : u.ContractId,
                    UserSecurityStamp = u == null ? null : u.SecurityStamp,
                    TwoFactorSetupRequired = u != null && u.TwoFactorForced && !u.TwoFactorEnabled && u.Passkeys == "[]",
                    PasswordChangeRequired = u != null && u.PasswordChangeRequired,
                })
            .FirstOrDefault());

    private readonly EntityTable<SessionEntity> _table;
    private readonly TContext _context;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">The context does not map AccountSecurity's tables, or the process cannot run dynamic code (Native AOT; the message says what to do instead).</exception>
    public EntityFrameworkCoreSessionStore(TContext context)
    {
        _table = new EntityTable<SessionEntity>(context);
        StoreErrors.RequireModel<UserEntity>(context);
        _context = context;
    }

    private IQueryable<SessionEntity> Sessions => _table.Rows;

    /// <inheritdoc />
    public async ValueTask<StoreWriteResult> CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var entity = EntityMapping.ToEntity(session);
        var id = entity.Id;
        return await _table.InsertAsync(entity, ct => Sessions.AnyAsync(s => s.Id == id, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SessionValidationState?> FindForValidationAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!CanBeSessionId(sessionId))
        {
            return null;
        }

        var query = CompiledFindForValidation.GetValue(_context.Model, CompileFindForValidation);
        var row = await query(_context, sessionId, cancellationToken).ConfigureAwait(false);
        return row is null
            ? null
            : new SessionValidationState(
                EntityMapping.ToDomain(row.Session),
                row.UserId is not null,
                row.UserIsActive,
                row.UserContractId,
                row.UserSecurityStamp,
                row.TwoFactorSetupRequired)
            { PasswordChangeRequired = row.PasswordChangeRequired };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SessionRecord>> ListByUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var entities = await Sessions.Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(EntityMapping.ToDomain)];
    }

    /// <inheritdoc />
    public async ValueTask<bool> TouchAsync(string sessionId, DateTimeOffset seenAt, DateTimeOffset notSeenSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!CanBeSessionId(sessionId))
        {
            return false;
        }

        var seen = EntityMapping.Ticks(seenAt);
        var since = EntityMapping.Ticks(notSeenSince);

        // The condition is in the WHERE clause: of instances racing with the same arguments, one matches the row.
        var updated = await _table.Set
            .Where(s => s.Id == sessionId && s.EndedAt == null && s.LastSeenAt < since)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, seen), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> EndAsync(string userId, string sessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(reason);
        if (!CanBeSessionId(sessionId))
        {
            return false;
        }

        var ended = EntityMapping.Ticks(endedAt);
        var updated = await _table.Set
            .Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, ended).SetProperty(x => x.EndReason, reason), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }

    /// <inheritdoc />
    public async ValueTask<int> EndAllAsync(string userId, string? exceptSessionId, DateTimeOffset endedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(reason);
        var ended = EntityMapping.Ticks(endedAt);
        var live = _table.Set.Where(s => s.UserId == userId && s.EndedAt == null);
        if (exceptSessionId is not null)
        {
            live = live.Where(s => s.Id != exceptSessionId);
        }

        return await live
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, ended).SetProperty(x => x.EndReason, reason), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkReauthenticatedAsync(string userId, string sessionId, DateTimeOffset reauthenticatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!CanBeSessionId(sessionId))
        {
            return false;
        }

        var at = EntityMapping.Ticks(reauthenticatedAt);

        // One statement; the later of the recorded and the new time wins, so two re-authentications racing never move it back.
        var updated = await _table.Set
            .Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null && s.ExpiresAt > at)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReauthenticatedAt, x => x.ReauthenticatedAt != null && x.ReauthenticatedAt > at ? x.ReauthenticatedAt : at), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewStampAsync(string userId, string sessionId, string securityStamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(securityStamp);
        if (!CanBeSessionId(sessionId))
        {
            return false;
        }

        var updated = await _table.Set
            .Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.SecurityStamp, securityStamp), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteEndedAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var cutoff = EntityMapping.Ticks(before);

        // COALESCE(EndedAt, ExpiresAt) < @before, written so each side can use its index (EndedAt, ExpiresAt).
        // One statement: DELETE … WHERE Id IN (SELECT Id … LIMIT @batchSize).
        var batch = _table.Set
            .Where(s => s.EndedAt < cutoff || (s.EndedAt == null && s.ExpiresAt < cutoff))
            .Select(s => s.Id)
            .Take(batchSize);
        return await _table.Set
            .Where(s => batch.Contains(s.Id))
            .ExecuteDeleteAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private static bool CanBeSessionId(string sessionId) =>
        sessionId.Length is > 0 and <= MaxSessionIdLength && !sessionId.Contains('\0', StringComparison.Ordinal) && IsWellFormedUtf16(sessionId);

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The one row of <see cref="FindForValidationAsync"/>: the session and the narrow part of its user.</summary>
    private sealed class ValidationRow
    {
        public required SessionEntity Session { get; init; }
        public string? UserId { get; init; }
        public bool UserIsActive { get; init; }
        public string? UserContractId { get; init; }
        public string? UserSecurityStamp { get; init; }
        public bool TwoFactorSetupRequired { get; init; }

        public bool PasswordChangeRequired { get; init; }
    }
}
