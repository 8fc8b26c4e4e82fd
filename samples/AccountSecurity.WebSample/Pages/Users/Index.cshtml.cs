using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Users;

/// <summary>"Users &amp; Groups": the contract's users with their 2FA state (owner and administrators), and the contract's policies.</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
public sealed class IndexModel : ConsolePageModel
{
    /// <summary>The users of the contract, owner first.</summary>
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    /// <summary>The contract's password policy.</summary>
    public PasswordPolicySettings Policy { get; private set; } = PasswordPolicySettings.Default;

    /// <summary>Whether passkey sign-in is allowed (owner only, else <see langword="null"/>).</summary>
    public bool? PasswordlessAllowed { get; private set; }

    /// <summary>The session policy card.</summary>
    public SessionPolicyCard SessionPolicy { get; private set; } = null!;

    /// <summary>Whether changes go through without confirming now.</summary>
    public bool Fresh { get; private set; }

    /// <summary>The step-up card.</summary>
    public StepUpCard? StepUpCard { get; private set; }

    /// <summary>The contract's groups (the host's authorization, kept in the sample).</summary>
    public IReadOnlyList<ConsoleGroup> Groups { get; private set; } = [];

    /// <summary>Every data center and snapshot, for the groups' grants.</summary>
    public IReadOnlyList<ConsoleResource> Resources { get; private set; } = [];

    /// <summary>Shows the page to the owner and administrators (403 for anyone else).</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        TakeFlash();
        if (await UsersPages.AdminAsync(HttpContext) is not (var acting, var denied))
        {
            return SessionEndedPage();
        }

        if (denied is not null)
        {
            return Answer(denied);
        }

        await LoadUserAsync();
        var services = HttpContext.RequestServices;
        var aborted = HttpContext.RequestAborted;
        var listed = await services.GetRequiredService<IAccountAdministrationService>().ListUsersAsync(acting.Id, aborted);
        Users = listed.Succeeded ? [.. listed.Value.OrderByDescending(u => u.Role).ThenBy(u => u.Email, StringComparer.OrdinalIgnoreCase)] : [];
        Policy = await services.GetRequiredService<IPasswordPolicyService>().GetEffectivePolicyAsync(acting.ContractId, aborted);
        Fresh = await StepUp.IsFreshAsync(HttpContext);
        PasswordlessAllowed = await PasskeyPages.PasswordlessAllowedAsync(HttpContext, acting);
        SessionPolicy = await SessionPages.PolicyCardAsync(HttpContext, acting, Data);
        Groups = await services.GetRequiredService<GroupStore>().ListAsync(acting.ContractId, aborted);
        var catalog = services.GetRequiredService<ResourceCatalog>();
        Resources = [.. await catalog.ListAsync(ResourceKind.DataCenter, aborted), .. await catalog.ListAsync(ResourceKind.Snapshot, aborted)];
        StepUpCard = await StepUp.CardAsync(HttpContext, "/users", Data.ErrorsOf(StepUp.FlashKey), "change users' security and the contract's policies");
        return Page();
    }

    /// <summary>What the signed-in manager may do to <paramref name="user"/> (the library's peer rules; the services check again).</summary>
    public UserActions ActionsFor(UserSummary user) => UserActions.Of(Me, user);
}
