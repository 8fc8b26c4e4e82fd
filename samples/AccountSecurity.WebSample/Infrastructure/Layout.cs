using AccountSecurity.Accounts;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>The console's frame: top bar, navigation on the left, content on the right.</summary>
public static class Layout
{
    /// <summary>The navigation entries; Users &amp; Groups only for those who may open it.</summary>
    private static readonly (string Key, string Href, string Label, bool AdminOnly)[] Navigation =
    [
        ("security", "/security", "Password & Security", false),
        ("users", "/users", "Users & Groups", true),
        ("datacenters", "/datacenters", "Data centers", false),
        ("support", "/support", "Support: verify a caller", true),
    ];

    /// <summary>A console page for the signed-in <paramref name="user"/>.</summary>
    public static HtmlContent Console(HttpContext context, UserSummary user, string active, string title, HtmlContent body)
    {
        var isAdmin = user.Role is UserRole.Administrator or UserRole.ContractOwner;
        var nav = Html.Join(Navigation
            .Where(n => !n.AdminOnly || isAdmin)
            .Select(n => Html.Of($"<li><a href=\"{n.Href}\"{(n.Key == active ? HtmlContent.Trusted(" class=\"active\" aria-current=\"page\"") : HtmlContent.Empty)}>{n.Label}</a></li>")));
        return Document(title, Html.Of($"""
            <header class="topbar">
              <span class="brand">Example Cloud <small>Console</small></span>
              <span class="account">
                <span class="who" data-testid="signed-in-as">{user.Email}</span>
                <span class="role">{RoleName(user.Role)} · contract {user.ContractId}</span>
                <form method="post" action="/signout" class="inline">{Forms.Antiforgery(context)}<button type="submit" class="link">Sign out</button></form>
              </span>
            </header>
            <div class="shell">
              <nav class="sidebar" aria-label="Console"><ul>{nav}</ul></nav>
              <main class="content">
                <h1>{title}</h1>
                {body}
              </main>
            </div>
            """));
    }

    /// <summary>A page outside the console (sign-in, reset, outbox): a centred card.</summary>
    public static HtmlContent Bare(string title, HtmlContent body) => Document(title, Html.Of($"""
        <header class="topbar"><span class="brand">Example Cloud <small>Console</small></span></header>
        <main class="bare"><section class="card narrow"><h1>{title}</h1>{body}</section></main>
        """));

    /// <summary>An error box listing every message (each one encoded).</summary>
    public static HtmlContent Errors(IEnumerable<string> messages)
    {
        var list = messages.ToList();
        return list.Count == 0
            ? HtmlContent.Empty
            : Html.Of($"<div class=\"alert alert-error\" role=\"alert\"><ul class=\"errors\">{Html.Join(list.Select(m => Html.Of($"<li>{m}</li>")))}</ul></div>");
    }

    /// <summary>A green confirmation box.</summary>
    public static HtmlContent Success(string? message) =>
        message is null ? HtmlContent.Empty : Html.Of($"<div class=\"alert alert-success\" role=\"status\">{message}</div>");

    /// <summary>A neutral hint box.</summary>
    public static HtmlContent Info(string? message) =>
        message is null ? HtmlContent.Empty : Html.Of($"<div class=\"alert alert-info\" role=\"status\">{message}</div>");

    /// <summary>The display name of a role.</summary>
    public static string RoleName(UserRole role) => role switch
    {
        UserRole.ContractOwner => "Contract owner",
        UserRole.Administrator => "Administrator",
        _ => "User",
    };

    private static HtmlContent Document(string title, HtmlContent body) => Html.Of($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{title} · Example Cloud</title>
          <link rel="stylesheet" href="/static/console.css">
        </head>
        <body>
        {body}
        </body>
        </html>
        """);
}

/// <summary>Serves the stylesheet from the assembly.</summary>
public static class Assets
{
    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("console.css")
            ?? throw new InvalidOperationException("The console.css resource is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The console stylesheet.</summary>
    public static IResult ConsoleCss() => Respond.Bytes(Css.Value, "text/css; charset=utf-8");
}
