using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AccountSecurity.WebSample.Pages.Security;

/// <summary>"Password &amp; Security": password, two-factor authentication, passkeys, support PIN, devices and sessions.</summary>
[Authorize(Policy = AccountSecurityPolicies.SignedIn)]
[AllowDuringPasswordChange]
public sealed class IndexModel : ConsolePageModel
{
    /// <summary>The green notice (from the flash or a redirect's key).</summary>
    public string? Notice { get; private set; }

    /// <summary>The user's two-factor state.</summary>
    public TwoFactorStatus? TwoFactor { get; private set; }

    /// <summary>The contract's password rules.</summary>
    public PasswordPolicySettings Policy { get; private set; } = PasswordPolicySettings.Default;

    /// <summary>The user's passkeys.</summary>
    public PasskeysCard Passkeys { get; private set; } = null!;

    /// <summary>The support PIN's state.</summary>
    public SupportPinCard Pin { get; private set; } = null!;

    /// <summary>The user's sessions.</summary>
    public SessionsCard Sessions { get; private set; } = null!;

    /// <summary>The user's recent security activity (the audit trail).</summary>
    public ActivityCard Activity { get; private set; } = new([]);

    /// <summary>Whether changes go through without confirming now.</summary>
    public bool Fresh { get; private set; }

    /// <summary>The step-up card.</summary>
    public StepUpCard? StepUpCard { get; private set; }

    /// <summary>Shows the page.</summary>
    public async Task<IActionResult> OnGetAsync(string? m)
    {
        TakeFlash();
        Notice = Data.Notice ?? SecurityPages.Notice(m);
        if (!await LoadUserAsync())
        {
            return SessionEndedPage();
        }

        var services = HttpContext.RequestServices;
        var aborted = HttpContext.RequestAborted;
        TwoFactor = await services.GetRequiredService<ITwoFactorService>().GetStatusAsync(Me.Id, aborted);
        Policy = await services.GetRequiredService<IPasswordPolicyService>().GetEffectivePolicyAsync(Me.ContractId, aborted);
        Pin = await SupportPinPages.CardAsync(HttpContext, Me, Data.ErrorsOf("pin"));
        Passkeys = new PasskeysCard(await PasskeyPages.ListAsync(HttpContext), Data.ErrorsOf("passkeys"));
        Sessions = await SessionPages.CardAsync(HttpContext, Me, Session, Data.ErrorsOf("sessions"));
        Activity = await ActivityPages.CardAsync(HttpContext, Session);
        Fresh = await StepUp.IsFreshAsync(HttpContext);
        StepUpCard = await StepUp.CardAsync(HttpContext, "/security", Data.ErrorsOf(StepUp.FlashKey), "change your password, two-factor authentication, passkeys or support PIN");
        return Page();
    }
}
