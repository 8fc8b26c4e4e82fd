using System.Net.Mail;
using AccountSecurity.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>docs/notifications.md's example: an e-mail sender for security notifications and its registration.</summary>
public static class NotificationsExample
{
    /// <summary>Builds (does not run) an app that e-mails security notifications.</summary>
    public static WebApplication Build(byte[] key)
    {
        // snippet:begin register
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSingleton(new MailSettings(Host: "localhost", Port: 25, From: "security@example.com"));
        builder.Services.AddAccountSecurity(options =>
            {
                options.SecretProtection.AddKey("2026-11", key);
                options.Notifications.DefaultCulture = "de-DE";                   // users without a culture of their own
                options.Notifications.FloodInterval = TimeSpan.FromMinutes(30);   // lockout and new-device mails
            })
            .AddSecurityNotificationSender<EmailSecurityNotificationSender>();
        // snippet:end

        return builder.Build();
    }
}

/// <summary>Where the example sends mail from.</summary>
/// <param name="Host">The SMTP server.</param>
/// <param name="Port">Its port.</param>
/// <param name="From">The sender address.</param>
public sealed record MailSettings(string Host, int Port, string From);

// snippet:begin sender
/// <summary>E-mails each security notification as plain text; the SDK calls it from its background queue.</summary>
public sealed class EmailSecurityNotificationSender(MailSettings settings) : ISecurityNotificationSender
{
    /// <inheritdoc />
    public async ValueTask SendAsync(SecurityNotification notification, CancellationToken cancellationToken)
    {
        using var message = new MailMessage { From = new MailAddress(settings.From), Subject = notification.Subject, Body = notification.Body };
        foreach (var recipient in notification.Recipients)
        {
            message.To.Add(recipient);
        }

        // The same event always has the same id: a mail system that keeps it can drop a duplicate after a retry.
        message.Headers.Add("X-Security-Notification-Id", notification.Id);

        // One client per message: SmtpClient sends one message at a time, and the queue runs two senders at once.
        using var smtp = new SmtpClient(settings.Host, settings.Port);
        await smtp.SendMailAsync(message, cancellationToken); // throw to have it retried; never log the message or addresses
    }
}
// snippet:end
