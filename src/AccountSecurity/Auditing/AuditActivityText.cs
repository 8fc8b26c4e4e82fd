using System.Globalization;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Sessions;

namespace AccountSecurity.Auditing;

/// <summary>
/// Audit records in plain words of the user's language (English and German ship; any other falls back to English), for a
/// "Recent security activity" list and an administrator's activity page: <see cref="Describe"/> gives
/// <c>Signed in with password and authenticator app, Firefox on Windows, 10:42</c>. The words come from typed fields only
/// (event type, sign-in methods, factor, outcome code, the session's device label), so they carry nothing a user typed
/// but the device label the host recorded, and never a secret. The language is the <c>culture</c> argument where a method
/// takes one, otherwise <see cref="CultureInfo.CurrentUICulture"/>.
/// </summary>
public static class AuditActivityText
{
    /// <summary>
    /// What happened, the device (when known) and the time: <c>Signed in with password and authenticator app, Firefox on
    /// Windows, 10:42</c>. The time is <see cref="AuditRecord.OccurredAt"/> in <paramref name="timeZone"/> (UTC when
    /// <see langword="null"/>) as hours and minutes; with <paramref name="includeDate"/> the date comes first
    /// (<c>2026-12-07 10:42</c>, the same in every language). The client address is never included (personal data; show
    /// it where it is needed).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static string Describe(AuditRecord record, TimeZoneInfo? timeZone = null, bool includeDate = false, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var local = TimeZoneInfo.ConvertTime(record.OccurredAt, timeZone ?? TimeZoneInfo.Utc);
        var time = local.ToString(includeDate ? "yyyy-MM-dd HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
        var what = What(record, culture);
        return string.IsNullOrWhiteSpace(record.DeviceLabel)
            ? $"{what}, {time}"
            : $"{what}, {record.DeviceLabel}, {time}";
    }

    /// <summary>What happened, as a short sentence without a full stop: <c>Signed in with password and authenticator app</c>, <c>Two-factor authentication required by an administrator</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static string What(AuditRecord record, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        culture ??= CultureInfo.CurrentUICulture;
        return record.EventType switch
        {
            SecurityEventType.SignInSucceeded or SecurityEventType.SessionStarted => Methods(record.SignInMethods, culture) is { } methods
                ? string.Format(culture, Text("Activity_SignedInWith", culture), methods)
                : Text("Activity_SignedIn", culture),
            SecurityEventType.SignInFailed => Text(record.Factor == AuthenticationFactor.SecondFactor ? "Activity_SignInFailedWrongCode" : "Activity_SignInFailed", culture),
            SecurityEventType.SessionEnded => Text(
                record.Outcome switch
                {
                    SessionEndReasons.EndedByUser => "Activity_SignedOutOthers",
                    SessionEndReasons.EndedByAdministrator => "Activity_SignedOutByAdministrator",
                    SessionEndReasons.SessionLimit => "Activity_SignedOutSessionLimit",
                    SessionEndReasons.Deactivated => "Activity_SignedOutDeactivated",
                    SessionEndReasons.CredentialsChanged => "Activity_SignedOutCredentialsChanged",
                    _ => "Activity_SignedOut",
                },
                culture),
            // Every other event has one sentence named after it; one the resources do not know reads "Security event".
            var type when Enum.IsDefined(type) && UserMessages.ResourceManager.GetString("Activity_" + type, culture) is { } sentence => sentence,
            _ => Text("Activity_Unknown", culture),
        };
    }

    /// <summary>The methods in words: <c>password and authenticator app</c>; <see langword="null"/> for none.</summary>
    private static string? Methods(AuditSignInMethods methods, CultureInfo culture)
    {
        var words = new List<string>(4);
        if (methods.HasFlag(AuditSignInMethods.Password))
        {
            words.Add(Text("Method_Password", culture));
        }

        if (methods.HasFlag(AuditSignInMethods.AuthenticatorApp))
        {
            words.Add(Text("Method_AuthenticatorApp", culture));
        }

        if (methods.HasFlag(AuditSignInMethods.RecoveryCode))
        {
            words.Add(Text("Method_RecoveryCode", culture));
        }

        if (methods.HasFlag(AuditSignInMethods.Passkey))
        {
            words.Add(Text("Method_Passkey", culture));
        }

        return words.Count == 0 ? null : words.Aggregate((left, right) => string.Format(culture, Text("Method_And", culture), left, right));
    }

    private static string Text(string key, CultureInfo culture) =>
        UserMessages.ResourceManager.GetString(key, culture) ?? throw new InvalidOperationException($"The activity text '{key}' is missing from the neutral resources.");
}
