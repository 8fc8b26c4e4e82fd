using AccountSecurity.TwoFactor;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// What <c>_TwoFactorSetup.cshtml</c> shows, shared by the forced setup at sign-in and Password &amp; Security: the
/// started <paramref name="Setup"/> (QR code, manual key; <see langword="null"/> after a wrong code, when only the input
/// comes back) and the code form posting to <paramref name="ConfirmAction"/>.
/// </summary>
/// <param name="Setup">The started setup, or <see langword="null"/> for the code input alone.</param>
/// <param name="ConfirmAction">Where the code is posted.</param>
/// <param name="Errors">The messages of a wrong code.</param>
public sealed record TwoFactorSetupForm(TwoFactorSetup? Setup, string ConfirmAction, IReadOnlyList<string> Errors)
{
    /// <summary>The test-id suffix of the "Sign out of all other sessions" checkbox (in a session), if any.</summary>
    public string? EndOthersId { get; init; }

    /// <summary>Where "Start over" leads (after a wrong code), if shown.</summary>
    public string? RestartHref { get; init; }
}

/// <summary>The one-time view of recovery codes (<c>_RecoveryCodes.cshtml</c>), with copy, download and print.</summary>
/// <param name="Codes">The codes.</param>
/// <param name="ContinueHref">The page a sign-in asked for, when there is one (the console's menu is the way on otherwise).</param>
/// <param name="Headline">The success line (a key of the console's texts).</param>
public sealed record RecoveryCodesView(IReadOnlyList<string> Codes, string? ContinueHref, string Headline);
