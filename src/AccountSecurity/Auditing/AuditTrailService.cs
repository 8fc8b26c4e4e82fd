using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;

namespace AccountSecurity.Auditing;

/// <summary>The default <see cref="IAuditTrailService"/>: the permission rules of the trail in one place, over <see cref="IAuditStore"/>.</summary>
internal sealed class AuditTrailService : IAuditTrailService
{
    private const int ExportPageSize = 500;

    private readonly IAuditStore _store;
    private readonly GuardedUserStore _users;
    private readonly ISupportAgentAuthorizer _agents;
    private readonly SecurityEventPublisher _events;
    private readonly AuditTrailOptions _options;
    private readonly Reauthentication.ReauthenticationGate _reauthentication;

    public AuditTrailService(IAuditStore store, GuardedUserStore users, ISupportAgentAuthorizer agents, SecurityEventPublisher events, AuditTrailOptions options, Reauthentication.ReauthenticationGate reauthentication)
    {
        _reauthentication = reauthentication;
        _store = store;
        _users = users;
        _agents = agents;
        _events = events;
        _options = options;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AuditPage>> QueryContractAsync(AuthenticatedSession actingSession, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        ArgumentNullException.ThrowIfNull(query);
        using var context = SecurityEventContext.For(actingSession);
        if (Invalid(query) is { } invalid)
        {
            return SecurityResult<AuditPage>.Failed(invalid);
        }

        if (await ReaderOfContractAsync(actingSession, query.UserId, "read_audit_trail", cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return SecurityResult<AuditPage>.Failed(NotAuthorized());
        }

        return SecurityResult<AuditPage>.Success(await PageAsync(actor.ContractId, query, query.UserId, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AuditPage>> QueryOwnAsync(AuthenticatedSession actingSession, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        ArgumentNullException.ThrowIfNull(query);
        using var context = SecurityEventContext.For(actingSession);
        if (Invalid(query) is { } invalid)
        {
            return SecurityResult<AuditPage>.Failed(invalid);
        }

        var actor = await ActorAsync(actingSession, cancellationToken).ConfigureAwait(false);
        if (actor is null || (query.UserId is not null && !string.Equals(query.UserId, actor.Id, StringComparison.Ordinal)))
        {
            await RefusedAsync(actingSession, actor, "read_own_audit_trail", cancellationToken).ConfigureAwait(false);
            return SecurityResult<AuditPage>.Failed(NotAuthorized());
        }

        return SecurityResult<AuditPage>.Success(await PageAsync(actor.ContractId, query, actor.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<long>> ExportAsync(AuthenticatedSession actingSession, AuditQuery query, AuditExportFormat format, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        using var context = SecurityEventContext.For(actingSession);
        if (!Enum.IsDefined(format))
        {
            return SecurityResult<long>.Failed(new SecurityError(SecurityErrorCodes.AuditQueryInvalid, UserMessages.AuditExportFormatInvalid) { Field = "format" });
        }

        if (Invalid(query with { Cursor = null, PageSize = 1 }) is { } invalid)
        {
            return SecurityResult<long>.Failed(invalid);
        }

        if (await ReaderOfContractAsync(actingSession, query.UserId, "export_audit_trail", cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return SecurityResult<long>.Failed(NotAuthorized());
        }

        var written = 0L;
        await using (var writer = new AuditExportWriter(destination, format))
        {
            long? before = null;
            while (true)
            {
                var records = await _store.QueryAsync(StoreQuery(actor.ContractId, query, query.UserId, before, ExportPageSize), cancellationToken).ConfigureAwait(false);
                foreach (var record in records)
                {
                    await writer.WriteAsync(record, cancellationToken).ConfigureAwait(false);
                    written++;
                }

                if (records.Count < ExportPageSize)
                {
                    break;
                }

                before = records[^1].Sequence;
            }
        }

        await _events.PublishAsync(SecurityEventType.AuditTrailExported, query.UserId ?? actor.Id, actor.ContractId, cancellationToken, outcome: format == AuditExportFormat.Csv ? "csv" : "jsonl", actorId: actor.Id).ConfigureAwait(false);
        return SecurityResult<long>.Success(written);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AuditChainVerification>> VerifyChainAsync(AuthenticatedSession actingSession, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        if (await AdministratorAsync(actingSession, "verify_audit_trail", cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return SecurityResult<AuditChainVerification>.Failed(NotAuthorized());
        }

        return SecurityResult<AuditChainVerification>.Success(await AuditChain.VerifyAsync(_store, actor.ContractId, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<AuditRetentionPolicy>> GetRetentionAsync(AuthenticatedSession actingSession, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        if (await AdministratorAsync(actingSession, "read_audit_retention", cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return SecurityResult<AuditRetentionPolicy>.Failed(NotAuthorized());
        }

        var head = await _store.FindChainAsync(actor.ContractId, cancellationToken).ConfigureAwait(false);
        return SecurityResult<AuditRetentionPolicy>.Success(new AuditRetentionPolicy(
            EffectiveDays(head?.RetentionDays, _options), head?.RetentionDays is null, Days(_options.MinRetention), Days(_options.MaxRetention)));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SetRetentionAsync(AuthenticatedSession actingSession, int? retentionDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        if (retentionDays is { } days && (days < Days(_options.MinRetention) || days > Days(_options.MaxRetention)))
        {
            return SecurityResult.Failed(new SecurityError(
                SecurityErrorCodes.AuditRetentionInvalid,
                Localized.Format(UserMessages.AuditRetentionOutOfRange, Days(_options.MinRetention), Days(_options.MaxRetention)))
            { Field = "retentionDays" });
        }

        var actor = await ActorAsync(actingSession, cancellationToken).ConfigureAwait(false);
        if (actor is not { Role: UserRole.ContractOwner })
        {
            await RefusedAsync(actingSession, actor, "set_audit_retention", cancellationToken).ConfigureAwait(false);
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.AuditRetentionOwnerOnly));
        }

        // A shorter retention deletes records: only an owner who proved themself lately may set it (the step-up rule).
        if (await _reauthentication.RequireAsync(actingSession, Reauthentication.SensitiveOperation.ChangeAuditRetention, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult.Failed(stale);
        }

        await _store.SetRetentionAsync(actor.ContractId, retentionDays, cancellationToken).ConfigureAwait(false);
        await _events.PublishAsync(
            SecurityEventType.AuditRetentionChanged, actor.Id, actor.ContractId, cancellationToken,
            outcome: retentionDays is { } set ? "days_" + set.ToString(CultureInfo.InvariantCulture) : "default", actorId: actor.Id).ConfigureAwait(false);
        return SecurityResult.Success();
    }

    /// <summary>The retention in days that applies for a contract whose setting is <paramref name="retentionDays"/>, clamped to the host's bounds as they are now.</summary>
    internal static int EffectiveDays(int? retentionDays, AuditTrailOptions options) =>
        Math.Clamp(retentionDays ?? Days(options.DefaultRetention), Days(options.MinRetention), Days(options.MaxRetention));

    private static int Days(TimeSpan span) => (int)Math.Ceiling(span.TotalDays);

    private static SecurityError NotAuthorized() =>
        new(SecurityErrorCodes.NotAuthorized, UserMessages.AuditReadNotAuthorized);

    private static SecurityError? Invalid(AuditQuery query)
    {
        if (query.PageSize is < 1 or > AuditQuery.MaxPageSize)
        {
            return Problem(Localized.Format(UserMessages.AuditPageSizeOutOfRange, AuditQuery.MaxPageSize), "pageSize");
        }

        if (query.UserId is not null && !InputText.IsId(query.UserId))
        {
            return Problem(UserMessages.AuditUserIdInvalid, "userId");
        }

        if (query.EventTypes is { } types && (types.Count > AuditQuery.MaxEventTypes || types.Any(t => !Enum.IsDefined(t))))
        {
            return Problem(Localized.Format(UserMessages.AuditEventTypesInvalid, AuditQuery.MaxEventTypes), "eventTypes");
        }

        if (query.From is { } from && query.To is { } to && from > to)
        {
            return Problem(UserMessages.AuditTimeRangeInvalid, "from");
        }

        if (query.Cursor is not null && ParseCursor(query.Cursor) is null)
        {
            return Problem(UserMessages.AuditCursorInvalid, "cursor");
        }

        return null;

        static SecurityError Problem(string message, string field) => new(SecurityErrorCodes.AuditQueryInvalid, message) { Field = field };
    }

    private static long? ParseCursor(string? cursor) =>
        cursor is { Length: > 0 and <= 19 } && long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 ? sequence : null;

    private static AuditStoreQuery StoreQuery(string contractId, AuditQuery query, string? userId, long? before, int limit) => new()
    {
        ContractId = contractId,
        UserId = userId,
        EventTypes = query.EventTypes is { Count: > 0 } types ? [.. types.Distinct()] : null,
        From = query.From,
        To = query.To,
        BeforeSequence = before,
        Limit = limit,
    };

    private async ValueTask<AuditPage> PageAsync(string contractId, AuditQuery query, string? userId, CancellationToken cancellationToken)
    {
        // One more than the page: whether there is a next page, without a count.
        var records = await _store.QueryAsync(StoreQuery(contractId, query, userId, ParseCursor(query.Cursor), query.PageSize + 1), cancellationToken).ConfigureAwait(false);
        return records.Count > query.PageSize
            ? new AuditPage([.. records.Take(query.PageSize)], records[query.PageSize - 1].Sequence.ToString(CultureInfo.InvariantCulture))
            : new AuditPage(records, null);
    }

    /// <summary>The acting session's user when the session still stands for them (active, same contract, same stamp); otherwise <see langword="null"/>.</summary>
    private async ValueTask<UserAccount?> ActorAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        if (!InputText.IsId(session.UserId))
        {
            return null;
        }

        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return session.IsCurrentFor(user) ? user : null;
    }

    private async ValueTask<UserAccount?> AdministratorAsync(AuthenticatedSession session, string operation, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(session, cancellationToken).ConfigureAwait(false);
        if (actor is { Role: UserRole.ContractOwner or UserRole.Administrator })
        {
            return actor;
        }

        await RefusedAsync(session, actor, operation, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The reader of the contract's records: its owner or an administrator; or, when the options allow it and
    /// <paramref name="userId"/> is given, a support agent who may verify that user of the acting session's contract.
    /// </summary>
    private async ValueTask<UserAccount?> ReaderOfContractAsync(AuthenticatedSession session, string? userId, string operation, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(session, cancellationToken).ConfigureAwait(false);
        if (actor is { Role: UserRole.ContractOwner or UserRole.Administrator })
        {
            return actor;
        }

        if (actor is not null && userId is not null && _options.SupportAgentsMayReadUserRecords
            && await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false) is { } target
            && string.Equals(target.ContractId, actor.ContractId, StringComparison.Ordinal)
            && await _agents.MayVerifyAsync(actor.Id, new SupportPinTarget(target.Id, target.ContractId, target.Role), cancellationToken).ConfigureAwait(false))
        {
            return actor;
        }

        await RefusedAsync(session, actor, operation, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private ValueTask RefusedAsync(AuthenticatedSession session, UserAccount? actor, string operation, CancellationToken cancellationToken) =>
        _events.PublishAsync(
            SecurityEventType.AuthorizationRefused, actor?.Id, actor?.ContractId, cancellationToken, outcome: operation,
            actorId: InputText.IsId(session.UserId) ? session.UserId : null);
}
