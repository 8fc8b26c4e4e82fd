using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The demo outbox: every security notification as the user would read the e-mail, then the reset mails. The page
/// has no sign-in (like the reset mails it shows, it stands in for everyone's mailbox), which is why only a demo has
/// it and the sample listens on loopback only.
/// </summary>
public sealed class OutboxModel : ConsolePageModel
{
    /// <summary>The reset mails, newest first.</summary>
    public IReadOnlyList<OutboxMessage> Resets { get; private set; } = [];

    /// <summary>The security notifications, newest first.</summary>
    public IReadOnlyList<NotificationMail> Notifications { get; private set; } = [];

    /// <summary>Shows the mails.</summary>
    public IActionResult OnGet([FromServices] DevOutbox resets, [FromServices] DevNotificationOutbox notifications)
    {
        Resets = resets.Messages;
        Notifications = notifications.Mails;
        return Page();
    }
}
