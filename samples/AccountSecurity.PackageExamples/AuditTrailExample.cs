using System.Globalization;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>docs/audit-trail.md's examples: a user's recent activity in words, and an administrator's filtered pages.</summary>
public static class AuditTrailExample
{
    /// <summary>The last 20 records about the signed-in user's own account, one line each in the user's language.</summary>
    public static async Task<IReadOnlyList<string>> RecentActivityAsync(IServiceProvider services, AuthenticatedSession session, TimeZoneInfo userTimeZone, CultureInfo userCulture)
    {
        // snippet:begin recent-activity
        var trail = services.GetRequiredService<IAuditTrailService>();
        var page = await trail.QueryOwnAsync(session, new AuditQuery { PageSize = 20 });
        if (!page.Succeeded)
        {
            return []; // not_authenticated: the session has ended
        }

        // "Signed in with password and authenticator app, Firefox on Windows, 10:42" (or in German for a German user).
        return [.. page.Value!.Records
            .Where(r => r.EventType != SecurityEventType.SignInSucceeded) // SessionStarted says it, with the device
            .Select(r => AuditActivityText.Describe(r, userTimeZone, culture: userCulture))];
        // snippet:end
    }

    /// <summary>Every record of one user about forced 2FA in the last 30 days, page by page, newest first.</summary>
    public static async Task<int> CountForcedTwoFactorAsync(IServiceProvider services, AuthenticatedSession administrator, string userId, DateTimeOffset now)
    {
        // snippet:begin contract-activity
        var trail = services.GetRequiredService<IAuditTrailService>();
        var query = new AuditQuery
        {
            UserId = userId,
            EventTypes = [SecurityEventType.TwoFactorForced, SecurityEventType.TwoFactorUnforced],
            From = now.AddDays(-30),
        };
        var count = 0;
        while (true)
        {
            var page = await trail.QueryContractAsync(administrator, query);
            if (!page.Succeeded)
            {
                return count; // not_authorized: only the owner and administrators read the contract's records
            }

            count += page.Value!.Records.Count; // each record says who acted (ActorId), on whom, when and from where
            if (page.Value.NextCursor is null)
            {
                return count;
            }

            query = query with { Cursor = page.Value.NextCursor }; // keyset paging: nothing repeated or skipped
        }
        // snippet:end
    }
}
