using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Passkeys;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>The ceremony page of a started passkey registration (its options wait in server memory).</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringTwoFactorSetup]
public sealed class AddPasskeyModel : ConsolePageModel
{
    /// <summary>The passkey's name.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The creation ceremony.</summary>
    public PasskeyForm Form { get; private set; } = null!;

    /// <summary>Shows the ceremony, or sends the user back when it took too long.</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] Flash flash, [FromServices] OneTimeDisplays displays)
    {
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        if (displays.Peek<PasskeyToAdd>(HttpContext, Session.UserId, PasskeyPages.AddDisplay) is not { } adding)
        {
            return Answer(flash.Notice(HttpContext, "/security#passkeys", Texts["Adding the passkey took too long. Start again with \"Add a passkey\"."]));
        }

        Name = adding.Name;
        Form = new PasskeyForm(PasskeyView.Ceremony.Create, new PasskeyCeremony(adding.OptionsJson, State: null), "/security/passkeys/complete", "Create the passkey", "create-passkey", [new("name", adding.Name)])
        {
            EndOthersId = "passkey-add",
        };
        return Page();
    }
}
