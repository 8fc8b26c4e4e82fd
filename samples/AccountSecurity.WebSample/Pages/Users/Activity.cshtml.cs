using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Auditing;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Users;

/// <summary>
/// "Security activity": the contract's audit trail for the owner and administrators (403 for anyone else), filtered by
/// user, kind of event and dates, newest first, one page at a time (the trail's keyset cursor).
/// </summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public sealed class ActivityModel : ConsolePageModel
{
    /// <summary>Rows per page unless the address asks for another number (<c>size</c>, 1 to 200).</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The contract's users (the user filter's options), by e-mail.</summary>
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    /// <summary>The records of this page, newest first.</summary>
    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    /// <summary>The link to the next page, or <see langword="null"/> on the last one.</summary>
    public string? NextPage { get; private set; }

    /// <summary>What the query refused (a malformed filter), or nothing.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>The user filter (a user id of the contract), or <see langword="null"/> for everyone.</summary>
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserFilter { get; set; }

    /// <summary>The event filter (a key of <see cref="ActivityPages.Filters"/>), or <see langword="null"/> for every kind.</summary>
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? TypeFilter { get; set; }

    /// <summary>The first day shown (UTC, inclusive), as <c>yyyy-MM-dd</c>.</summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? FromFilter { get; set; }

    /// <summary>The last day shown (UTC, inclusive), as <c>yyyy-MM-dd</c>.</summary>
    [BindProperty(SupportsGet = true, Name = "to")]
    public string? ToFilter { get; set; }

    /// <summary>Where this page starts (the trail's cursor of the previous page), or <see langword="null"/> for the newest.</summary>
    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    /// <summary>Rows per page (<c>size</c>); out of range or unset, <see cref="DefaultPageSize"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "size")]
    public int? Size { get; set; }

    /// <summary>Shows the page to the owner and administrators (403 for anyone else).</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        if (await UsersPages.AdminAsync(HttpContext, "users", "Security activity") is not (var acting, var denied))
        {
            return SessionEndedPage();
        }

        if (denied is not null)
        {
            return Answer(denied);
        }

        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        var services = HttpContext.RequestServices;
        var aborted = HttpContext.RequestAborted;
        var listed = await services.GetRequiredService<IAccountAdministrationService>().ListUsersAsync(acting.Id, aborted);
        Users = listed.Succeeded ? [.. listed.Value.OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)] : [];

        var problems = new List<string>();
        var from = Day(FromFilter, "From", problems);
        var to = Day(ToFilter, "To", problems);
        var types = ActivityPages.Filters.FirstOrDefault(filter => filter.Key == TypeFilter).Types ?? ActivityPages.Shown;
        if (problems.Count > 0)
        {
            Errors = problems;
            return Page();
        }

        var query = new AuditQuery
        {
            UserId = string.IsNullOrEmpty(UserFilter) ? null : UserFilter,
            EventTypes = types,
            From = from,
            To = to?.AddDays(1), // the last day is shown whole: the trail's To is exclusive
            Cursor = string.IsNullOrEmpty(Cursor) ? null : Cursor,
            PageSize = Size is >= 1 and <= AuditQuery.MaxPageSize ? Size.Value : DefaultPageSize,
        };
        var page = await services.GetRequiredService<IAuditTrailService>().QueryContractAsync(Session, query, aborted);
        if (!page.Succeeded)
        {
            Errors = SecurityPages.Messages(page);
            return Page();
        }

        Records = page.Value.Records;
        NextPage = page.Value.NextCursor is { } next ? Link(next) : null;
        return Page();
    }

    /// <summary>The e-mail of <paramref name="userId"/> (the person, not the id), or the id of a user no longer listed.</summary>
    public string EmailOf(string? userId) =>
        userId is null ? string.Empty : Users.FirstOrDefault(u => u.Id == userId)?.Email ?? userId;

    private string Link(string cursor)
    {
        var query = new Dictionary<string, string?> { ["user"] = UserFilter, ["type"] = TypeFilter, ["from"] = FromFilter, ["to"] = ToFilter, ["size"] = Size?.ToString(CultureInfo.InvariantCulture), ["cursor"] = cursor }
            .Where(pair => !string.IsNullOrEmpty(pair.Value));
        return "/users/activity" + QueryString.Create(query).ToUriComponent();
    }

    private DateTimeOffset? Day(string? value, string label, List<string> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        problems.Add(Texts["{0} must be a date.", Texts[label]]);
        return null;
    }
}
