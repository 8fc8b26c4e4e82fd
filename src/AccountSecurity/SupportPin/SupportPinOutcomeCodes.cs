namespace AccountSecurity.SupportPin;

/// <summary>Stable outcome codes carried by the support-PIN events that report a success.</summary>
public static class SupportPinOutcomeCodes
{
    /// <summary>A first PIN was set (<see cref="Events.SecurityEventType.SupportPinSet"/>).</summary>
    public const string Set = "support_pin_set";

    /// <summary>The PIN was changed (<see cref="Events.SecurityEventType.SupportPinChanged"/>).</summary>
    public const string Changed = "support_pin_changed";

    /// <summary>The PIN was removed (<see cref="Events.SecurityEventType.SupportPinRemoved"/>).</summary>
    public const string Removed = "support_pin_removed";

    /// <summary>A support agent verified the PIN (<see cref="Events.SecurityEventType.SupportPinVerified"/>).</summary>
    public const string Verified = "support_pin_verified";
}
