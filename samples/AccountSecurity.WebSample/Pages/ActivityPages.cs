using System.Globalization;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Html;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The audit trail in the console (issue 30): the "Recent security activity" card on Password &amp; Security and the
/// administrators' Activity page under Users &amp; Groups. Both read <see cref="IAuditTrailService"/>, which checks who
/// may see what; the words come from <see cref="AuditActivityText"/> in the request's language.
/// </summary>
public static class ActivityPages
{
    /// <summary>How many records the card shows.</summary>
    public const int CardSize = 20;

    /// <summary>
    /// Every kind but <see cref="SecurityEventType.SignInSucceeded"/>: a sign-in shows as its session's start, which
    /// carries the device and the methods (the success is raised before the session exists).
    /// </summary>
    public static IReadOnlyList<SecurityEventType> Shown { get; } = [.. Enum.GetValues<SecurityEventType>().Where(type => type != SecurityEventType.SignInSucceeded)];

    /// <summary>The Activity page's event filters: a key of the select, its label (a key of <see cref="SharedTexts"/>) and its kinds.</summary>
    public static IReadOnlyList<(string Key, string Label, IReadOnlyList<SecurityEventType> Types)> Filters { get; } =
    [
        ("sign-ins", "Sign-ins", [SecurityEventType.SessionStarted]),
        ("failed-sign-ins", "Failed sign-ins and lockouts", [SecurityEventType.SignInFailed, SecurityEventType.SecondFactorFailed, SecurityEventType.LockedOut, SecurityEventType.TrustedDeviceLockedOut]),
        ("passwords", "Password changes and resets", [SecurityEventType.PasswordChanged, SecurityEventType.PasswordResetCompleted, SecurityEventType.PasswordFoundInBreach]),
        ("two-factor", "Two-factor authentication", [SecurityEventType.TwoFactorEnabled, SecurityEventType.TwoFactorDisabled, SecurityEventType.TwoFactorForced, SecurityEventType.TwoFactorUnforced, SecurityEventType.TwoFactorReset, SecurityEventType.RecoveryCodeUsed, SecurityEventType.RecoveryCodesRegenerated]),
        ("administration", "Users and roles", [SecurityEventType.UserCreated, SecurityEventType.UserDeactivated, SecurityEventType.UserReactivated, SecurityEventType.RoleChanged, SecurityEventType.EmailChanged, SecurityEventType.ContractOwnershipTransferred, SecurityEventType.UserInvited, SecurityEventType.InvitationAccepted]),
        ("sessions", "Sign-outs and ended sessions", [SecurityEventType.SessionEnded]),
    ];

    /// <summary>The user's last <see cref="CardSize"/> records in plain words (empty when the trail cannot be read).</summary>
    public static async Task<ActivityCard> CardAsync(HttpContext context, AuthenticatedSession session)
    {
        var trail = context.RequestServices.GetRequiredService<IAuditTrailService>();
        var page = await trail.QueryOwnAsync(session, new AuditQuery { PageSize = CardSize, EventTypes = Shown }, context.RequestAborted);
        return new ActivityCard(page.Succeeded ? [.. page.Value.Records.Select(Sentence)] : []);
    }

    /// <summary>
    /// A record as the card says it: what happened, the device when known, and the time as the console writes times
    /// (<c>Signed in with password and authenticator app, Firefox on Windows, 2026-12-08 10:42 UTC</c>).
    /// </summary>
    public static string Sentence(AuditRecord record)
    {
        var what = AuditActivityText.What(record, CultureInfo.CurrentUICulture);
        return record.DeviceLabel is { Length: > 0 } device
            ? $"{what}, {device}, {Display.Time(record.OccurredAt)}"
            : $"{what}, {Display.Time(record.OccurredAt)}";
    }

    /// <summary>
    /// <paramref name="text"/> (encoded) with every hyphenated word kept on one line ("Authenticator-App"): a narrow
    /// table column may wrap between words, never at a word's hyphen.
    /// </summary>
    public static IHtmlContent KeepWordsWhole(string text)
    {
        var html = new HtmlContentBuilder();
        foreach (var (word, index) in text.Split(' ').Select((word, index) => (word, index)))
        {
            if (index > 0)
            {
                html.Append(" ");
            }

            if (word.Contains('-', StringComparison.Ordinal))
            {
                html.AppendHtml("<span class=\"nowrap\">").Append(word).AppendHtml("</span>");
            }
            else
            {
                html.Append(word);
            }
        }

        return html;
    }
}

/// <summary>The "Recent security activity" card: one sentence per record, newest first.</summary>
public sealed record ActivityCard(IReadOnlyList<string> Lines);
