using AccountSecurity.Resources;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>"Data centers": the contract's data centers, with the secAuthProtection-flagged ones hidden unless signed in with 2FA.</summary>
public static class DataCenterPages
{
    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app) =>
        app.MapGet("/datacenters", async Task<IResult> (HttpContext context, ProtectedResourceAccess access) =>
        {
            if (await SessionCookie.LoadAsync(context) is not (var session, var user))
            {
                return Respond.Redirect("/signin?m=session-ended");
            }

            // The host's own permissions would filter first (here: every user of the contract may see both);
            // the library then only ever removes what needs a 2FA sign-in.
            var visible = await access.FilterAsync(session, DemoAccounts.DataCenters, context.RequestAborted);
            var rows = Html.Join(visible.Select(dc => Html.Of($"""
                <tr data-testid="datacenter"><td>{dc.Name}</td><td>{dc.Location}</td><td>{(dc.SecAuthProtection ? Html.Of($"<span class=\"badge forced\">2FA protected</span>") : Html.Of($"<span class=\"muted\">—</span>"))}</td></tr>
                """)));
            var hint = Html.If(
                visible.Count < DemoAccounts.DataCenters.Count,
                Layout.Info("Some resources are shown only after you sign in with two-factor authentication."));
            var body = Html.Of($"""
                {hint}
                <section class="card">
                  <table class="table" data-testid="datacenters">
                    <thead><tr><th>Name</th><th>Location</th><th>Protection</th></tr></thead>
                    <tbody>{rows}</tbody>
                  </table>
                </section>
                """);
            return new HtmlPageResult(Layout.Console(context, user, "datacenters", "Data centers", body));
        }).RequireAuthorization();
}
