namespace AccountSecurity.Notifications;

/// <summary>
/// Delivers a <see cref="SecurityNotification"/> to the account's owner (usually as an e-mail). The host implements it;
/// the SDK never sends e-mail itself. Register it with
/// <c>services.AddAccountSecurity().AddSecurityNotificationSender&lt;TSender&gt;()</c> or
/// <c>services.AddSingleton&lt;ISecurityNotificationSender, TSender&gt;()</c>; it may be scoped or a singleton.
/// Without one, no notification is prepared or queued.
/// </summary>
/// <remarks>
/// Called outside the request, from a bounded background queue, in a DI scope of its own; never on the thread of the
/// operation that caused it, so a slow or failing sender can neither delay nor fail that operation. Each call is cut
/// off after <see cref="SecurityNotificationOptions.SendTimeout"/> and retried up to
/// <see cref="SecurityNotificationOptions.MaxAttempts"/> times; an exception is logged by its type only, never by its
/// message. A notification never holds a secret (no password, code, PIN, TOTP secret, token or hash).
/// </remarks>
public interface ISecurityNotificationSender
{
    /// <summary>
    /// Sends <paramref name="notification"/> to its <see cref="SecurityNotification.Recipients"/>. Completes when the
    /// message was handed over (to a mail server, an outbox table); throws to have it retried. Use
    /// <see cref="SecurityNotification.Id"/> to drop a message already delivered (a retry after a lost acknowledgement).
    /// </summary>
    /// <param name="notification">The rendered notification; never <see langword="null"/>.</param>
    /// <param name="cancellationToken">Signalled when the attempt timed out or the host is shutting down.</param>
    ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken);
}
