using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.Auditing;

/// <summary>
/// Reads the audit trail for the people allowed to see it: a contract's owner and administrators page through, export
/// and verify their contract's records; every signed-in user pages through the records about their own account; a
/// support agent sees nothing unless <see cref="AuditTrailOptions.SupportAgentsMayReadUserRecords"/> allows it, and then
/// only the records of a user they may verify. The contract owner sets how long records are kept.
/// </summary>
/// <remarks>
/// Every method takes the acting session, as the other services do, and re-reads its user: a deactivated user, a
/// changed security stamp or a session of another contract is refused (<c>not_authorized</c>, and the refusal is
/// itself audited). Nothing here ever returns or logs a secret: records have no field that could hold one.
/// </remarks>
public interface IAuditTrailService
{
    /// <summary>
    /// A page of the acting session's contract's records, filtered by <paramref name="query"/>, newest first. For the
    /// contract's owner and administrators; for a support agent only with <see cref="AuditQuery.UserId"/> set to a user
    /// they may verify, when the options allow it. Fails with <c>audit_query_invalid</c> for a malformed query and
    /// <c>not_authorized</c> for anyone else.
    /// </summary>
    ValueTask<SecurityResult<AuditPage>> QueryContractAsync(AuthenticatedSession actingSession, AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the records about the acting session's own account, filtered by <paramref name="query"/> (whose
    /// <see cref="AuditQuery.UserId"/> must be empty or the user's own), newest first. Any signed-in user.
    /// </summary>
    ValueTask<SecurityResult<AuditPage>> QueryOwnAsync(AuthenticatedSession actingSession, AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every record of the contract matching <paramref name="query"/> (its page size and cursor are ignored),
    /// newest first, to <paramref name="destination"/> in <paramref name="format"/>; the count written. Allowed as
    /// <see cref="QueryContractAsync"/> is; the export itself is audited (<c>AuditTrailExported</c>). Never closes the stream.
    /// </summary>
    ValueTask<SecurityResult<long>> ExportAsync(AuthenticatedSession actingSession, AuditQuery query, AuditExportFormat format, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Verifies the acting session's contract's chain (<see cref="AuditChain.VerifyAsync"/>). For the contract's owner and administrators.</summary>
    ValueTask<SecurityResult<AuditChainVerification>> VerifyChainAsync(AuthenticatedSession actingSession, CancellationToken cancellationToken = default);

    /// <summary>The contract's retention and its bounds. For the contract's owner and administrators.</summary>
    ValueTask<SecurityResult<AuditRetentionPolicy>> GetRetentionAsync(AuthenticatedSession actingSession, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the contract's retention to <paramref name="retentionDays"/> days (<see langword="null"/>: the host's
    /// default). Only the contract owner; fails with <c>audit_retention_invalid</c> outside the host's bounds. Audited
    /// (<c>AuditRetentionChanged</c>). Records older than the new retention go at the next retention run.
    /// </summary>
    ValueTask<SecurityResult> SetRetentionAsync(AuthenticatedSession actingSession, int? retentionDays, CancellationToken cancellationToken = default);
}
