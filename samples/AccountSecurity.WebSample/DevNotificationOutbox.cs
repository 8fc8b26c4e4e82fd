using AccountSecurity.Notifications;

namespace AccountSecurity.WebSample;

/// <summary>
/// A security notification as the demo outbox shows it: exactly what the user would read in the e-mail (every
/// recipient, the subject, the plain-text body, when it was sent) and its kind; the language of the text only to mark
/// it up for screen readers. Never the user id, device, address or notification id on their own.
/// </summary>
/// <param name="To">Every recipient (two for an e-mail change: the old address and the new one).</param>
/// <param name="Subject">The subject line, plain text.</param>
/// <param name="Body">The body, plain text with its line breaks.</param>
/// <param name="SentAt">When the sender received it (the e-mail's date).</param>
/// <param name="Kind">What it tells.</param>
/// <param name="Language">The two-letter language of the texts (<c>en</c>, <c>de</c>), for the page's <c>lang</c> attribute.</param>
public sealed record NotificationMail(IReadOnlyList<string> To, string Subject, string Body, DateTimeOffset SentAt, SecurityNotificationKind Kind, string Language);

/// <summary>
/// DEMO STAND-IN for the host's e-mail: the security notifications the library sends, kept in memory (the newest
/// <see cref="Capacity"/>, lost at a restart) and shown on /dev/outbox beside the reset mails, so the sample works
/// without a mail server. A real host sends them by e-mail (see <c>docs/notifications.md</c>) and has no such page.
/// </summary>
public sealed class DevNotificationOutbox
{
    /// <summary>How many mails are kept; older ones are dropped.</summary>
    public const int Capacity = 50;

    private readonly Lock _gate = new();
    private readonly LinkedList<NotificationMail> _mails = new();

    /// <summary>The mails, newest first.</summary>
    public IReadOnlyList<NotificationMail> Mails
    {
        get
        {
            lock (_gate)
            {
                return [.. _mails];
            }
        }
    }

    /// <summary>Keeps <paramref name="mail"/> as the newest, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public void Add(NotificationMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        lock (_gate)
        {
            _mails.AddFirst(mail);
            while (_mails.Count > Capacity)
            {
                _mails.RemoveLast();
            }
        }
    }
}

/// <summary>
/// DEMO STAND-IN for a real <see cref="ISecurityNotificationSender"/> (one that hands the mail to an SMTP server or an
/// outbox table): keeps what the user would read in the <see cref="DevNotificationOutbox"/>. Registered with
/// <c>AddSecurityNotificationSender&lt;DevNotificationSender&gt;()</c>; the library calls it from its background queue.
/// It logs nothing: a body is personal data (addresses, the device).
/// </summary>
public sealed class DevNotificationSender(DevNotificationOutbox outbox, TimeProvider time) : ISecurityNotificationSender
{
    /// <inheritdoc />
    public ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        outbox.Add(new NotificationMail(
            [.. notification.Recipients],
            notification.Subject,
            notification.Body,
            time.GetUtcNow(),
            notification.Kind,
            notification.Culture.TwoLetterISOLanguageName));
        return ValueTask.CompletedTask;
    }
}
