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
        ("snapshots", "/snapshots", "Snapshots", false),
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
            <a class="skip-link" href="#main">Skip to content</a>
            <header class="topbar">
              <a class="brand" href="/security">Example Cloud <small>Console</small></a>
              <span class="account">
                <span class="who" data-testid="signed-in-as">{user.Email}</span>
                <span class="role" data-testid="contract">{RoleName(user.Role)} · {CurrentUser.ContractName(context, user)}</span>
                <form method="post" action="/signout" class="inline">{Forms.Antiforgery(context)}<button type="submit" class="link">Sign out</button></form>
              </span>
            </header>
            <div class="shell">
              <nav class="sidebar" aria-label="Console"><ul>{nav}</ul></nav>
              <main class="content" id="main" tabindex="-1">
                <h1>{title}</h1>
                {body}
              </main>
            </div>
            """));
    }

    /// <summary>A page outside the console (sign-in, reset, outbox): a centred card, narrow unless <paramref name="wide"/>.</summary>
    public static HtmlContent Bare(string title, HtmlContent body, bool wide = false) => Document(title, Html.Of($"""
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="topbar"><a class="brand" href="/signin">Example Cloud <small>Console</small></a></header>
        <main class="bare" id="main" tabindex="-1"><section class="card {(wide ? "wide" : "narrow")}"><h1>{title}</h1>{body}</section></main>
        """));

    /// <summary>
    /// The confirmation step of an action that lowers someone's security or ends their sessions: what will happen,
    /// one button that posts (with the antiforgery token) and a way back that changes nothing.
    /// </summary>
    public static HtmlContent Confirmation(HttpContext context, string question, string consequence, string action, IEnumerable<(string Name, string Value)> fields, string confirmLabel, string cancelHref) => Html.Of($"""
        <section class="card confirm" aria-labelledby="confirm-title">
          <h2 id="confirm-title">{question}</h2>
          <p>{consequence}</p>
          <form method="post" action="{action}" class="confirm-actions">
            {Forms.Antiforgery(context)}
            {Html.Join(fields.Select(f => Html.Of($"<input type=\"hidden\" name=\"{f.Name}\" value=\"{f.Value}\">")))}
            <button type="submit" class="danger" data-testid="confirm">{confirmLabel}</button>
            <a class="button" href="{cancelHref}" data-testid="cancel">Cancel</a>
          </form>
        </section>
        """);

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
          <link rel="icon" href="/favicon.ico" sizes="32x32">
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

    private static readonly Lazy<byte[]> Icon = new(() =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("favicon.ico")
            ?? throw new InvalidOperationException("The favicon.ico resource is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The console stylesheet.</summary>
    public static IResult ConsoleCss() => Respond.Bytes(Css.Value, "text/css; charset=utf-8");

    /// <summary>The site icon (browsers ask for /favicon.ico on every site; a 404 there is noise in every log).</summary>
    public static IResult Favicon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Respond.Bytes(Icon.Value, "image/x-icon");
    }
}
