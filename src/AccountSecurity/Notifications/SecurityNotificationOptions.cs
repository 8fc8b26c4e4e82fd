using System.Globalization;

namespace AccountSecurity.Notifications;

/// <summary>
/// Security notifications (<see cref="ISecurityNotificationSender"/>): the culture for users without one, the
/// background queue's bound, the retry schedule and flood control. Used only when the host registers a sender.
/// </summary>
public sealed class SecurityNotificationOptions
{
    /// <summary>
    /// The culture (a BCP 47 name) of notifications to users whose <see cref="Accounts.UserAccount.Culture"/> is unset,
    /// invalid, or a language the SDK has no texts for. Texts exist in English (<c>en</c>) and German (<c>de</c>); a
    /// regional name (<c>de-CH</c>, <c>en-GB</c>) formats dates its way.
    /// </summary>
    /// <value>Defaults to <c>en</c>.</value>
    public string DefaultCulture { get; set; } = "en";

    /// <summary>
    /// How many notifications may wait to be sent. One beyond it is dropped, with a warning in the log and the
    /// <c>accountsecurity.security_notifications</c> counter (outcome <c>dropped_queue_full</c>): the operation never waits for room.
    /// </summary>
    /// <value>Defaults to 1000.</value>
    public int MaxQueuedNotifications { get; set; } = 1000;

    /// <summary>How long one call of <see cref="ISecurityNotificationSender.SendAsync"/> may take before it is abandoned (and retried).</summary>
    /// <value>Defaults to 10 seconds.</value>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a notification is tried before it is dropped (with a warning and a count); 1 means no retry.</summary>
    /// <value>Defaults to 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles before each further one (5 s, 10 s, 20 s…).</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Flood control: at most one <see cref="SecurityNotificationKind.AccountLocked"/> and one
    /// <see cref="SecurityNotificationKind.NewDeviceSignIn"/> per user within this interval, so a stranger who locks the
    /// account or signs in again and again cannot bomb the owner's inbox. Counted per process. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    /// <value>Defaults to 1 hour.</value>
    public TimeSpan FloodInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When a recovery code is used and this many or fewer are left, <see cref="SecurityNotificationKind.RecoveryCodesLow"/> is sent too.</summary>
    /// <value>Defaults to 3.</value>
    public int RecoveryCodesLowThreshold { get; set; } = 3;

    internal IEnumerable<string> Validate()
    {
        if (!NotificationTexts.IsUsableDefault(DefaultCulture))
        {
            yield return $"Notifications.DefaultCulture must name a culture the notification texts exist for ({string.Join(", ", NotificationTexts.Languages)}, or a regional form such as de-DE); it is '{DefaultCulture}'.";
        }

        if (MaxQueuedNotifications is < 1 or > 100_000)
        {
            yield return $"Notifications.MaxQueuedNotifications must be between 1 and 100000 (it is {MaxQueuedNotifications}).";
        }

        if (SendTimeout < TimeSpan.FromMilliseconds(100) || SendTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"Notifications.SendTimeout must be between 100 milliseconds and 5 minutes (it is {SendTimeout.ToString("c", CultureInfo.InvariantCulture)}).";
        }

        if (MaxAttempts is < 1 or > 10)
        {
            yield return $"Notifications.MaxAttempts must be between 1 and 10 (it is {MaxAttempts}).";
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(10))
        {
            yield return $"Notifications.RetryDelay must be between zero and 10 minutes (it is {RetryDelay.ToString("c", CultureInfo.InvariantCulture)}).";
        }

        if (FloodInterval < TimeSpan.Zero || FloodInterval > TimeSpan.FromDays(7))
        {
            yield return $"Notifications.FloodInterval must be between zero and 7 days (it is {FloodInterval.ToString("c", CultureInfo.InvariantCulture)}).";
        }

        if (RecoveryCodesLowThreshold is < 0 or > 100)
        {
            yield return $"Notifications.RecoveryCodesLowThreshold must be between 0 and 100 (it is {RecoveryCodesLowThreshold}).";
        }
    }
}
