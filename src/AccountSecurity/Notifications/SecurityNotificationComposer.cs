using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Lockout;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;

namespace AccountSecurity.Notifications;

/// <summary>
/// Builds the notifications one <see cref="NotificationRequest"/> calls for, in the work item's DI scope: reads the
/// user (address, culture, recovery codes left) and the session named by the event (device label and address), and
/// renders the texts. Reads only ids, times, the e-mail address, the culture, the device label and the client
/// address: never a hash, a secret or a token, so what it builds cannot carry one.
/// </summary>
internal sealed class SecurityNotificationComposer(GuardedUserStore users, ISessionStore sessions, SecurityNotificationOptions options)
{
    public async ValueTask<IReadOnlyList<SecurityNotification>> ComposeAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null && request.Kind != SecurityNotificationKind.EmailChanged)
        {
            return [];
        }

        var session = request.SessionId is null ? null : await sessions.FindForValidationAsync(request.SessionId, cancellationToken).ConfigureAwait(false);

        // Only the user's own session names a device: an administrator's device and address are not the user's to see.
        var own = session?.Session is { } record && string.Equals(record.UserId, request.UserId, StringComparison.Ordinal) ? record : null;

        if (request.Kind == SecurityNotificationKind.NewDeviceSignIn && (own is null || !await IsNewDeviceAsync(sessions, own, cancellationToken).ConfigureAwait(false)))
        {
            return [];
        }

        var culture = CultureOf(user?.Culture, options.DefaultCulture);
        var context = new Rendering(request, culture, own?.DeviceLabel, own?.ClientAddress);
        switch (request.Kind)
        {
            case SecurityNotificationKind.EmailChanged:
                IReadOnlyList<string> both = string.Equals(request.OldEmail, request.NewEmail, StringComparison.OrdinalIgnoreCase)
                    ? [request.NewEmail!]
                    : [request.OldEmail!, request.NewEmail!];
                return [context.Build(SecurityNotificationKind.EmailChanged, both, [request.OldEmail, request.NewEmail])];

            case SecurityNotificationKind.RecoveryCodeUsed:
                var used = context.Build(SecurityNotificationKind.RecoveryCodeUsed, [user!.Email], []);
                var left = user.TwoFactor.RecoveryCodeHashes.Length;
                return left <= options.RecoveryCodesLowThreshold
                    ? [used, context.Build(SecurityNotificationKind.RecoveryCodesLow, [user.Email], [left])]
                    : [used];

            default:
                return [context.Build(request.Kind, [user!.Email], [])];
        }
    }

    /// <summary>
    /// The culture of <paramref name="userCulture"/> when the texts exist in its language; else
    /// <paramref name="defaultCulture"/>'s; else the invariant culture (English texts). Never throws.
    /// </summary>
    internal static CultureInfo CultureOf(string? userCulture, string? defaultCulture) =>
        NotificationTexts.Resolve(userCulture) ?? NotificationTexts.Resolve(defaultCulture) ?? CultureInfo.InvariantCulture;

    /// <summary>
    /// "Not seen before": no other session record of the user the store returns has the same device label and client
    /// address. The user's first session (no other record at all) is no news and sends nothing.
    /// </summary>
    private static async ValueTask<bool> IsNewDeviceAsync(ISessionStore sessions, SessionRecord session, CancellationToken cancellationToken)
    {
        var others = (await sessions.ListByUserAsync(session.UserId, cancellationToken).ConfigureAwait(false))
            .Where(s => !string.Equals(s.Id, session.Id, StringComparison.Ordinal))
            .ToList();
        return others.Count > 0 && !others.Any(s =>
            string.Equals(s.DeviceLabel, session.DeviceLabel, StringComparison.Ordinal)
            && string.Equals(s.ClientAddress, session.ClientAddress, StringComparison.Ordinal));
    }

    private sealed record Rendering(NotificationRequest Request, CultureInfo Culture, string? DeviceLabel, string? ClientAddress)
    {
        public SecurityNotification Build(SecurityNotificationKind kind, IReadOnlyList<string> recipients, object?[] args)
        {
            var supportPin = kind == SecurityNotificationKind.AccountLocked && Request.Factor == AuthenticationFactor.SupportPin;
            var happened = supportPin ? "AccountLocked_SupportPin_Happened" : kind + "_Happened";
            var advice = supportPin ? "AccountLocked_SupportPin_Advice" : kind + "_Advice";
            var when = NotificationTexts.Format("TimeFormat", Culture, Request.OccurredAt.UtcDateTime.ToString("f", Culture));
            var body = new StringBuilder()
                .Append(NotificationTexts.Format(happened, Culture, args)).Append('\n')
                .Append('\n')
                .Append(NotificationTexts.Format("Line_When", Culture, when)).Append('\n')
                .Append(NotificationTexts.Format("Line_Device", Culture, DeviceLabel ?? NotificationTexts.Get("UnknownDevice", Culture))).Append('\n')
                .Append(NotificationTexts.Format("Line_Address", Culture, ClientAddress ?? NotificationTexts.Get("UnknownAddress", Culture))).Append('\n')
                .Append('\n')
                .Append(NotificationTexts.Get(advice, Culture)).Append('\n')
                .Append('\n')
                .Append(NotificationTexts.Get("Footer", Culture)).Append('\n');
            return new SecurityNotification
            {
                Id = IdOf(kind, Request),
                Kind = kind,
                UserId = Request.UserId,
                Recipients = recipients,
                Culture = Culture,
                OccurredAt = Request.OccurredAt.ToUniversalTime(),
                DeviceLabel = DeviceLabel,
                ClientAddress = ClientAddress,
                Subject = NotificationTexts.Format(kind + "_Subject", Culture, args),
                Body = body.ToString(),
            };
        }

        /// <summary>The same event gives the same id (a hash of kind, user, time and session: no secret goes in).</summary>
        private static string IdOf(SecurityNotificationKind kind, NotificationRequest request)
        {
            var text = string.Join('\n', (int)kind, request.UserId, request.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), request.SessionId ?? string.Empty, (int?)request.EventType ?? 0);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        }
    }
}
