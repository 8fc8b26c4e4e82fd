using AccountSecurity.Accounts;
using AccountSecurity.Administration;
using AccountSecurity.Crypto;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;

namespace AccountSecurity.Sessions;

/// <summary>The default <see cref="ISessionService"/>: the session rules in one place, over <see cref="ISessionStore"/>.</summary>
internal sealed class SessionService : ISessionService
{
    private const int MaxDeviceLabelLength = 100;
    private const int MaxClientAddressLength = 64;

    private readonly ISessionStore _sessions;
    private readonly IContractStore _contracts;
    private readonly ContractUpdater _contractUpdater;
    private readonly IUserStore _users;
    private readonly PeerAuthority _peers;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly SessionOptions _options;
    private readonly Reauthentication.ReauthenticationGate _reauthentication;

    public SessionService(ISessionStore sessions, IContractStore contracts, ContractUpdater contractUpdater, IUserStore users, SecurityEventPublisher events, TimeProvider time, SessionOptions options, Reauthentication.ReauthenticationGate reauthentication)
    {
        _reauthentication = reauthentication;
        _sessions = sessions;
        _contracts = contracts;
        _contractUpdater = contractUpdater;
        _users = users;
        _peers = new PeerAuthority(users, events, reauthentication);
        _events = events;
        _time = time;
        _options = options;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<StartedSession>> StartAsync(AuthenticatedSession signedIn, SessionDevice? device = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        var policy = await GetEffectivePolicyAsync(signedIn.ContractId, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        // The oldest give way first, so the new session is never the one ended (ASVS V7.1.2: documented behaviour at the limit).
        var live = (await _sessions.ListByUserAsync(signedIn.UserId, cancellationToken).ConfigureAwait(false))
            .Where(s => s.IsLiveAt(now))
            .OrderBy(s => s.CreatedAt)
            .ToList();
        foreach (var oldest in live.Take(Math.Max(0, live.Count - policy.MaxSessionsPerUser + 1)))
        {
            if (await _sessions.EndAsync(signedIn.UserId, oldest.Id, now, SessionEndReasons.SessionLimit, cancellationToken).ConfigureAwait(false))
            {
                await EndedAsync(signedIn.UserId, signedIn.ContractId, SessionEndReasons.SessionLimit, null, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var (reference, stored) = BearerToken.Issue();
            var record = new SessionRecord
            {
                Id = stored.Id,
                SecretHash = stored.SecretHash,
                UserId = signedIn.UserId,
                ContractId = signedIn.ContractId,
                SecurityStamp = signedIn.SecurityStamp,
                Methods = [.. signedIn.Methods],
                CreatedAt = now,
                LastSeenAt = now,
                IdleTimeout = policy.IdleTimeout,
                ExpiresAt = now + policy.AbsoluteLifetime,
                DeviceLabel = Clean(device?.Label, MaxDeviceLabelLength),
                ClientAddress = Clean(device?.ClientAddress, MaxClientAddressLength),
            };

            // 128 random bits do not collide; a duplicate means a broken random source or store, so it is not retried forever.
            var written = await _sessions.CreateAsync(record, cancellationToken).ConfigureAwait(false);
            if (written == StoreWriteResult.Success)
            {
                using (SecurityEventContext.For(record.Id))
                {
                    await _events.PublishAsync(SecurityEventType.SessionStarted, signedIn.UserId, signedIn.ContractId, cancellationToken, outcome: record.UsedSecondFactor ? "mfa" : "pwd").ConfigureAwait(false);
                }

                return SecurityResult<StartedSession>.Success(new StartedSession(reference, signedIn with { SessionId = record.Id }));
            }

            if (attempt >= 2)
            {
                return SecurityResult<StartedSession>.Failed(PasswordVerifier.Busy());
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<SessionValidation> ValidateAsync(string? reference, CancellationToken cancellationToken = default)
    {
        if (BearerToken.Parse(reference) is not { } token)
        {
            return SessionValidation.Invalid;
        }

        var state = await _sessions.FindForValidationAsync(token.Id, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (state is null || !SecretHash.Same(state.Session.SecretHash, token.SecretHash) || !Stands(state, now))
        {
            return SessionValidation.Invalid;
        }

        var session = state.Session;
        if (now - session.LastSeenAt > _options.LastSeenWriteInterval)
        {
            // At most one write per interval and session, whichever instance wins the conditional update. Strictly more
            // than the interval, as the store's condition (last seen before now - interval): else a request exactly one
            // interval on would cost a statement that writes nothing.
            await _sessions.TouchAsync(session.Id, now, now - _options.LastSeenWriteInterval, cancellationToken).ConfigureAwait(false);
        }

        var authenticated = new AuthenticatedSession(session.UserId, session.ContractId, session.SecurityStamp, session.Methods, session.CreatedAt) { SessionId = session.Id };
        // A breached password comes before a forced 2FA setup: attackers know it, so nothing (not even setting up a
        // second factor they would then own) opens before it is changed.
        var status = state.PasswordChangeRequired ? SessionStatus.PasswordChangeRequired
            : state.TwoFactorSetupRequired ? SessionStatus.TwoFactorSetupRequired
            : SessionStatus.Valid;
        return new SessionValidation(status, authenticated);
    }

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> GetRecordAsync(string? reference, CancellationToken cancellationToken = default) =>
        BearerToken.Parse(reference) is { } token
        && await _sessions.FindForValidationAsync(token.Id, cancellationToken).ConfigureAwait(false) is { } state
        && SecretHash.Same(state.Session.SecretHash, token.SecretHash)
            ? state.Session
            : null;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        if (!IsPlausibleId(userId))
        {
            return [];
        }

        // Only sessions that would be accepted now: a stamp change the registry was not told of (a reset by e-mail, an
        // administrator's 2FA reset) already refuses the older ones, so the list must not offer them as live devices.
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is not { IsActive: true })
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var sessions = await _sessions.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return [.. sessions
            .Where(s => s.IsLiveAt(now)
                && string.Equals(s.ContractId, user.ContractId, StringComparison.Ordinal)
                && SecurityStamp.Same(user.SecurityStamp, s.SecurityStamp))
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new SessionSummary(s.Id, s.DeviceLabel, s.ClientAddress, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Methods, string.Equals(s.Id, currentSessionId, StringComparison.Ordinal)))];
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> EndAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        // Only a live session of the user's own is ended: an unknown id, another user's, an ended or an expired one get
        // the same answer, so the endpoint tells nothing about sessions that are not the caller's.
        var session = await LiveSessionAsync(userId, sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null || !await _sessions.EndAsync(userId, session.Id, _time.GetUtcNow(), SessionEndReasons.EndedByUser, cancellationToken).ConfigureAwait(false))
        {
            return SecurityResult.Failed(NoSuchSession());
        }

        await EndedAsync(userId, session.ContractId, SessionEndReasons.EndedByUser, userId, cancellationToken).ConfigureAwait(false);
        return SecurityResult.Success();
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<int>> EndOthersAsync(string userId, string currentSessionId, CancellationToken cancellationToken = default)
    {
        if (await LiveSessionAsync(userId, currentSessionId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return SecurityResult<int>.Failed(NoSuchSession());
        }

        var ended = await _sessions.EndAllAsync(userId, current.Id, _time.GetUtcNow(), SessionEndReasons.EndedByUser, cancellationToken).ConfigureAwait(false);
        if (ended > 0)
        {
            await EndedAsync(userId, current.ContractId, SessionEndReasons.EndedByUser, userId, cancellationToken).ConfigureAwait(false);
        }

        return SecurityResult<int>.Success(ended);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SignOutAsync(string? reference, CancellationToken cancellationToken = default)
    {
        if (BearerToken.Parse(reference) is { } token
            && await _sessions.FindForValidationAsync(token.Id, cancellationToken).ConfigureAwait(false) is { } state
            && SecretHash.Same(state.Session.SecretHash, token.SecretHash)
            && await _sessions.EndAsync(state.Session.UserId, state.Session.Id, _time.GetUtcNow(), SessionEndReasons.SignedOut, cancellationToken).ConfigureAwait(false))
        {
            await EndedAsync(state.Session.UserId, state.Session.ContractId, SessionEndReasons.SignedOut, null, cancellationToken).ConfigureAwait(false);
        }

        return SecurityResult.Success();
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<int>> EndAllByAdministratorAsync(AuthenticatedSession actor, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var context = SecurityEventContext.For(actor);
        var actingUserId = actor.UserId;
        if (!IsPlausibleId(actingUserId) || !IsPlausibleId(userId))
        {
            return SecurityResult<int>.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.AdminOrOwnerOnly));
        }

        if (await _peers.AuthorizeSensitiveAsync(actor, userId, PeerChange.Raise, "end_sessions", Reauthentication.SensitiveOperation.EndUserSessions, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return SecurityResult<int>.From(refusal);
        }

        var target = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        var ended = await _sessions.EndAllAsync(userId, null, _time.GetUtcNow(), SessionEndReasons.EndedByAdministrator, cancellationToken).ConfigureAwait(false);
        await EndedAsync(userId, target?.ContractId, SessionEndReasons.EndedByAdministrator, actingUserId, cancellationToken).ConfigureAwait(false);
        return SecurityResult<int>.Success(ended);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<int>> AdoptStampAsync(string userId, string currentSessionId, string newSecurityStamp, bool endOtherSessions = true, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(newSecurityStamp))
        {
            return SecurityResult<int>.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.StampRequired));
        }

        // The session that made the change must be the user's and live: anything else adopts nothing and ends nothing.
        if (await LiveSessionAsync(userId, currentSessionId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return SecurityResult<int>.Failed(NoSuchSession());
        }

        if (!endOtherSessions)
        {
            // Only the sessions that stood beside the current one before the change (the current session's old stamp) are
            // kept: one that an earlier stamp change (a reset by e-mail, an administrator's 2FA reset) had already refused,
            // though not ended in the store, must stay refused rather than come back with the new stamp.
            var sessions = await _sessions.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false);
            var oldStamp = sessions.FirstOrDefault(s => string.Equals(s.Id, currentSessionId, StringComparison.Ordinal))?.SecurityStamp;
            foreach (var session in sessions)
            {
                if (SecurityStamp.Same(oldStamp, session.SecurityStamp))
                {
                    await _sessions.RenewStampAsync(userId, session.Id, newSecurityStamp, cancellationToken).ConfigureAwait(false);
                }
            }

            return SecurityResult<int>.Success(0);
        }

        await _sessions.RenewStampAsync(userId, currentSessionId, newSecurityStamp, cancellationToken).ConfigureAwait(false);

        var ended = await _sessions.EndAllAsync(userId, currentSessionId, _time.GetUtcNow(), SessionEndReasons.CredentialsChanged, cancellationToken).ConfigureAwait(false);
        if (ended > 0)
        {
            await EndedAsync(userId, current.ContractId, SessionEndReasons.CredentialsChanged, userId, cancellationToken).ConfigureAwait(false);
        }

        return SecurityResult<int>.Success(ended);
    }

    /// <inheritdoc />
    public async ValueTask<EffectiveSessionPolicy> GetEffectivePolicyAsync(string contractId, CancellationToken cancellationToken = default)
    {
        var settings = IsPlausibleId(contractId)
            ? (await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false))?.SessionPolicy
            : null;

        // Clamped to the host's bounds as they are now, so a host that narrows them is obeyed by stored policies too.
        return new EffectiveSessionPolicy(
            Clamp(settings?.IdleTimeout ?? _options.DefaultIdleTimeout, _options.MinIdleTimeout, _options.MaxIdleTimeout),
            Clamp(settings?.AbsoluteLifetime ?? _options.DefaultAbsoluteLifetime, _options.MinAbsoluteLifetime, _options.MaxAbsoluteLifetime),
            Math.Clamp(settings?.MaxSessionsPerUser ?? _options.DefaultMaxSessionsPerUser, 1, _options.MaxSessionsPerUserLimit));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SetPolicyAsync(AuthenticatedSession actingSession, SessionPolicySettings? settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        var actingUserId = actingSession.UserId;
        if (settings is not null && Problems(settings) is { Count: > 0 } problems)
        {
            return SecurityResult.Failed(problems);
        }

        var actor = IsPlausibleId(actingUserId) ? await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false) : null;
        if (actor is { IsActive: true, Role: UserRole.ContractOwner }
            && await _reauthentication.RequireAsync(actingSession, Reauthentication.SensitiveOperation.ChangeSessionPolicy, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult.Failed(stale);
        }

        var outcome = actor is null || !actor.IsActive || actor.Role != UserRole.ContractOwner
            ? PolicyWrite.Refused
            : await _contractUpdater.UpdateAsync(
                actor.ContractId,
                contract => contract is null || contract.OwnerUserId != actor.Id
                    ? ContractChange.Keep(PolicyWrite.Refused)
                    : ContractChange.Save(contract with { SessionPolicy = settings }, PolicyWrite.Written),
                () => PolicyWrite.Busy,
                cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case PolicyWrite.Written:
                await _events.PublishAsync(SecurityEventType.SessionPolicyChanged, actor!.Id, actor.ContractId, cancellationToken, outcome: settings is null ? "cleared" : "set", actorId: actor.Id).ConfigureAwait(false);
                return SecurityResult.Success();
            case PolicyWrite.Refused:
                await _events.PublishAsync(SecurityEventType.AuthorizationRefused, actor?.Id, actor?.ContractId, cancellationToken, outcome: "set_session_policy", actorId: IsPlausibleId(actingUserId) ? actingUserId : null).ConfigureAwait(false);
                return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.SessionPolicyOwnerOnly));
            default:
                return SecurityResult.Failed(PasswordVerifier.Busy());
        }
    }

    /// <summary>The one rule for "this session stands" at <paramref name="now"/> on its stored state and its user's.</summary>
    internal static bool Stands(SessionValidationState state, DateTimeOffset now) =>
        state.Session.IsLiveAt(now)
        && state is { UserExists: true, UserIsActive: true }
        && string.Equals(state.UserContractId, state.Session.ContractId, StringComparison.Ordinal)
        && SecurityStamp.Same(state.UserSecurityStamp, state.Session.SecurityStamp);

    private List<SecurityError> Problems(SessionPolicySettings settings)
    {
        var problems = new List<SecurityError>();
        if (settings.IdleTimeout is { } idle && (idle < _options.MinIdleTimeout || idle > _options.MaxIdleTimeout))
        {
            problems.Add(new SecurityError(SecurityErrorCodes.SessionPolicyInvalid, Localized.Format(UserMessages.IdleTimeoutOutOfRange, _options.MinIdleTimeout.TotalMinutes, _options.MaxIdleTimeout.TotalMinutes)) { Field = "idleTimeout" });
        }

        if (settings.AbsoluteLifetime is { } lifetime && (lifetime < _options.MinAbsoluteLifetime || lifetime > _options.MaxAbsoluteLifetime))
        {
            problems.Add(new SecurityError(SecurityErrorCodes.SessionPolicyInvalid, Localized.Format(UserMessages.SessionLifetimeOutOfRange, _options.MinAbsoluteLifetime.TotalHours, _options.MaxAbsoluteLifetime.TotalHours)) { Field = "absoluteLifetime" });
        }

        // Only between two members each within its bounds: one error per member, about the member that is wrong.
        if (problems.Count == 0 && settings.IdleTimeout is { } i && settings.AbsoluteLifetime is { } l && i > l)
        {
            problems.Add(new SecurityError(SecurityErrorCodes.SessionPolicyInvalid, UserMessages.IdleTimeoutLongerThanLifetime) { Field = "idleTimeout" });
        }

        if (settings.MaxSessionsPerUser is { } max && (max < 1 || max > _options.MaxSessionsPerUserLimit))
        {
            problems.Add(new SecurityError(SecurityErrorCodes.SessionPolicyInvalid, Localized.Format(UserMessages.SessionsPerUserOutOfRange, _options.MaxSessionsPerUserLimit)) { Field = "maxSessionsPerUser" });
        }

        return problems;
    }

    /// <summary>The live session <paramref name="sessionId"/> of <paramref name="userId"/>; <see langword="null"/> for anything else (hostile ids included).</summary>
    private async ValueTask<SessionRecord?> LiveSessionAsync(string? userId, string? sessionId, CancellationToken cancellationToken)
    {
        if (!IsPlausibleId(userId) || !IsPlausibleId(sessionId))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var sessions = await _sessions.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return sessions.FirstOrDefault(s => string.Equals(s.Id, sessionId, StringComparison.Ordinal) && s.IsLiveAt(now));
    }

    private static SecurityError NoSuchSession() => new(SecurityErrorCodes.NotFound, UserMessages.SessionNotFound);

    private ValueTask EndedAsync(string userId, string? contractId, string reason, string? actorId, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SessionEnded, userId, contractId, cancellationToken, outcome: reason, actorId: actorId);

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    /// <summary>An id a record can have (<see cref="InputText.IsId"/>); anything else names nothing and is answered as unknown.</summary>
    private static bool IsPlausibleId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => InputText.IsId(id);

    /// <summary>A host-supplied label or address, without control or format characters, trimmed and cut to <paramref name="max"/>; <see langword="null"/> when nothing remains.</summary>
    private static string? Clean(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var kept = new string([.. text.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) is not System.Globalization.UnicodeCategory.Format and not System.Globalization.UnicodeCategory.Surrogate)]).Trim();
        return kept.Length == 0 ? null : kept.Length <= max ? kept : kept[..max].TrimEnd();
    }

    private enum PolicyWrite
    {
        Written,
        Refused,
        Busy,
    }
}
