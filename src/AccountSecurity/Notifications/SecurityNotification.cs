using System.Globalization;
using AccountSecurity.Diagnostics;

namespace AccountSecurity.Notifications;

/// <summary>
/// One security notification, rendered and ready to send: what happened to the account, when, from which device and
/// address, and what to do if it was not the owner. Built only from a security event's ids, codes and times and from
/// stored account and session data (e-mail, culture, device label, address), so it never holds a password, code, PIN,
/// TOTP secret, token or hash.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> prints the kind, id, user id, culture and time only: never an address (e-mail or client),
/// the subject or the body, which are personal data.
/// </remarks>
public sealed record SecurityNotification
{
    /// <summary>
    /// A stable id derived from the event the notification reports (the same event gives the same id): use it to
    /// deliver each notification once even when a retry follows a lost acknowledgement.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>What the notification tells.</summary>
    public required SecurityNotificationKind Kind { get; init; }

    /// <summary>The account the notification is about.</summary>
    public required string UserId { get; init; }

    /// <summary>Where to send it: the account's e-mail address (for <see cref="SecurityNotificationKind.EmailChanged"/>, the old and the new one).</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The culture the texts and dates were rendered in (the user's, or <see cref="SecurityNotificationOptions.DefaultCulture"/>).</summary>
    public required CultureInfo Culture { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The device label of the user's session that did it; <see langword="null"/> when unknown.</summary>
    public string? DeviceLabel { get; init; }

    /// <summary>The client address recorded for the user's session that did it; <see langword="null"/> when unknown. Personal data.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The subject line, plain text, in <see cref="Culture"/>.</summary>
    public required string Subject { get; init; }

    /// <summary>The message, plain text with line breaks (<c>\n</c>), in <see cref="Culture"/>: what happened, when, from where, and what to do if it was not the owner.</summary>
    public required string Body { get; init; }

    /// <summary>The notification without personal data: kind, id, user id, culture and time; never an address, the subject or the body.</summary>
    public override string ToString() =>
        $"SecurityNotification {{ Id = {Id}, Kind = {Kind}, UserId = {LogValue.Escape(UserId)}, Culture = {Culture.Name}, OccurredAt = {OccurredAt:O}, Recipients = {Recipients.Count} }}";
}
