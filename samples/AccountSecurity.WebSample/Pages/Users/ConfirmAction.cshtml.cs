using AccountSecurity.Accounts.Administration;
using AccountSecurity.Administration;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Users;

/// <summary>The confirmation page of an action that lowers a user's security or ends their sessions.</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public sealed class ConfirmActionModel : ConsolePageModel
{
    /// <summary>The question, when the session may act now.</summary>
    public Confirmation? Confirmation { get; private set; }

    /// <summary>The step-up card, when the session must confirm it's the user first.</summary>
    public StepUpCard? StepUpCard { get; private set; }

    /// <summary>Asks, or asks the manager to confirm it's them first.</summary>
    public async Task<IActionResult> OnGetAsync(string userId, string step, [FromServices] IAccountAdministrationService accounts, [FromServices] Flash flash)
    {
        var caller = await UsersPages.AdminAsync(HttpContext);
        if (caller is not (var acting, null))
        {
            return caller?.Denied is { } denied ? Answer(denied) : SessionEndedPage();
        }

        await LoadUserAsync();
        var target = await accounts.GetUserAsync(acting.Id, userId, HttpContext.RequestAborted);
        if (!UsersPages.Lowering.TryGetValue(step, out var lowering) || !target.Succeeded)
        {
            return Answer(flash.Errors(HttpContext, "/users", "users", [Texts["That user or action does not exist any more. Check the list below."]]));
        }

        // Ending someone's sessions follows the rule of forcing 2FA (it takes nothing away); the rest lower security.
        var allowed = step == "end-sessions"
            ? PeerRules.CanRaiseSecurityOf(UsersPages.Peer(acting), UsersPages.Peer(target.Value))
            : PeerRules.CanLowerSecurityOf(UsersPages.Peer(acting), UsersPages.Peer(target.Value));
        if (!allowed)
        {
            return Answer(flash.Errors(HttpContext, "/users", "users", [Texts[UsersPages.NotAllowed]]));
        }

        // A stale session confirms it's you here first, and comes back to this question.
        if (!await StepUp.IsFreshAsync(HttpContext))
        {
            StepUpCard = await StepUp.CardAsync(HttpContext, StepUp.CurrentPath(HttpContext), TakeFlash().ErrorsOf(StepUp.FlashKey), Texts["change the security of {0}", target.Value.Email]);
            return Page();
        }

        var fields = new List<HiddenField> { new("confirmed", "true") };
        if (lowering.Field.Length > 0)
        {
            fields.Add(new(lowering.Field, lowering.Value));
        }

        var email = target.Value.Email;
        Confirmation = new Confirmation(
            Texts[lowering.Question, email],
            Texts[lowering.Consequence],
            $"/users/{Uri.EscapeDataString(userId)}/{lowering.Action}",
            fields,
            Texts[lowering.Button + " for {0}", email],
            "/users");
        return Page();
    }
}
