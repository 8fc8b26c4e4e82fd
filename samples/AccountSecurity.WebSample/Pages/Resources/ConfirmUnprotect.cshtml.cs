using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Resources;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Resources;

/// <summary>The confirmation before secAuthProtection is switched off for a resource.</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public sealed class ConfirmUnprotectModel : ConsolePageModel
{
    /// <summary>The question.</summary>
    public Confirmation Confirmation { get; private set; } = null!;

    /// <summary>The navigation key of the resource's page.</summary>
    public string Active { get; private set; } = string.Empty;

    /// <summary>Asks, or goes back with the refusal.</summary>
    public async Task<IActionResult> OnGetAsync(string id, [FromServices] IProtectedResourceAccess access, [FromServices] ResourceCatalog catalog, [FromServices] Flash flash)
    {
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        var resource = await catalog.FindAsync(id, HttpContext.RequestAborted);
        var back = resource is null ? "/datacenters" : ResourcePages.Kinds[resource.Kind].Path;
        if (resource is null || !await ResourcePages.MaySwitchAsync(access, Session, Me, HttpContext.RequestAborted))
        {
            return Answer(flash.Errors(HttpContext, back, "resources", [Texts[ResourcePages.Refused]]));
        }

        var kind = ResourcePages.Kinds[resource.Kind];
        Active = kind.Key;
        Confirmation = new Confirmation(
            Texts["Switch off secAuthProtection for {0}?", resource.Name],
            resource.Kind == ResourceKind.DataCenter
                ? Texts["The data center is then shown to every user of the contract who may see it, also to sessions signed in with a password only. The change is recorded in the audit list."]
                : Texts["The snapshot is then shown to every user of the contract who may see it, also to sessions signed in with a password only. The change is recorded in the audit list."],
            $"/resources/{Uri.EscapeDataString(id)}/protection",
            [new("protected", "false"), new("confirmed", "true")],
            Texts["Switch off protection for {0}", resource.Name],
            back);
        return Page();
    }
}
