using AccountSecurity.Accounts;
using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.SignIn;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The signed-in user of a request. The session itself (cookie, claims, per-request stamp check) is the package's
/// (<c>AddAspNetCore</c>); this only reads the user's summary the console frame shows.
/// </summary>
public static class CurrentUser
{
    /// <summary>The session of the current request (it passed the package's per-request check), or <see langword="null"/>.</summary>
    public static AuthenticatedSession? Session(HttpContext context) => context.User.GetAccountSecuritySession();

    /// <summary>The signed-in user (a summary without secrets), or <see langword="null"/> (then the page redirects).</summary>
    public static async Task<(AuthenticatedSession Session, UserSummary User)?> LoadAsync(HttpContext context)
    {
        if (Session(context) is not { } session)
        {
            return null;
        }

        // Fails for an unknown or deactivated user, which ends the page like a missing session.
        var administration = context.RequestServices.GetRequiredService<IAccountAdministrationService>();
        var user = await administration.GetUserAsync(session.UserId, session.UserId, context.RequestAborted);
        if (!user.Succeeded)
        {
            return null;
        }

        // The header names the contract; the SDK reads it for the signed-in user (the sample never touches a store).
        var contract = await administration.GetContractNameAsync(session.UserId, context.RequestAborted);
        context.Items[ContractNameKey] = contract.Succeeded ? contract.Value : null;
        context.Items[UserKey] = user.Value;
        return (session, user.Value);
    }

    private const string ContractNameKey = "AccountSecurity.WebSample.ContractName";
    private const string UserKey = "AccountSecurity.WebSample.User";

    /// <summary>The user <see cref="LoadAsync"/> read for this request (what the console frame shows), or <see langword="null"/>.</summary>
    public static UserSummary? Loaded(HttpContext context) => context.Items.TryGetValue(UserKey, out var user) ? user as UserSummary : null;

    /// <summary>
    /// The name of the signed-in user's contract (loaded by <see cref="LoadAsync"/>), or its id when the name is unknown.
    /// The name is text the owner chose: the console encodes it like any other user input.
    /// </summary>
    public static string ContractName(HttpContext context, UserSummary user) =>
        context.Items.TryGetValue(ContractNameKey, out var name) && name is string { Length: > 0 } text ? text : user.ContractId;
}
