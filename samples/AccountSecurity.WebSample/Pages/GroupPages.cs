using AccountSecurity.Accounts.Administration;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The posts of the "Groups" card on Users &amp; Groups: create, rename and delete a group, add and remove members,
/// grant and revoke data centers and snapshots. Owner and administrators only (a 403 page for anyone else, and nothing
/// changes); antiforgery is checked on every POST by the app's middleware.
/// </summary>
/// <remarks>
/// No step-up here, on purpose: groups are the host's authorization (who sees which resource), not account security.
/// They change no password, factor or session, and the library still hides a secAuthProtection resource from every
/// session without a second factor, whatever a group grants.
/// </remarks>
public static class GroupPages
{
    /// <summary>Where the card is.</summary>
    internal const string Card = "/users#groups";

    /// <summary>The flash key of the card's errors.</summary>
    internal const string FlashKey = "groups";

    /// <summary>The rule, said on the page in one sentence (a key of the console's texts).</summary>
    internal const string Rule = "A data center or snapshot granted to no group is visible to every user of the contract; once granted to groups, only their members, the owner and the administrators see it, and a protected one (secAuthProtection) only after signing in with two-factor authentication.";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        var groups = app.MapGroup("/users/groups").RequireAuthorization(AccountSecurityPolicies.SignedIn);

        groups.MapPost("/", async Task<IResult> (HttpContext context, GroupStore store, Flash flash) =>
        {
            if (await UsersPages.AdminAsync(context) is not (var acting, var denied))
            {
                return Respond.SeeOther("/session-ended");
            }

            if (denied is not null)
            {
                return denied;
            }

            var name = await FormFields.FieldAsync(context, "name");
            return Answer(context, flash, await store.CreateAsync(acting.ContractId, name, context.RequestAborted), ConsoleText.Of("The group {0} was created. Add members and grant it data centers and snapshots below.", GroupStore.ValidName(name) ?? string.Empty));
        });

        groups.MapPost("/{groupId}/rename", async Task<IResult> (HttpContext context, string groupId, GroupStore store, Flash flash) =>
        {
            if (await UsersPages.AdminAsync(context) is not (var acting, var denied))
            {
                return Respond.SeeOther("/session-ended");
            }

            if (denied is not null)
            {
                return denied;
            }

            var name = await FormFields.FieldAsync(context, "name");
            return Answer(context, flash, await store.RenameAsync(acting.ContractId, groupId, name, context.RequestAborted), ConsoleText.Of("The group is now called {0}.", GroupStore.ValidName(name) ?? string.Empty));
        });

        groups.MapPost("/{groupId}/delete", async Task<IResult> (HttpContext context, string groupId, GroupStore store, Flash flash) =>
        {
            if (await UsersPages.AdminAsync(context) is not (var acting, var denied))
            {
                return Respond.SeeOther("/session-ended");
            }

            return denied ?? Answer(context, flash, await store.DeleteAsync(acting.ContractId, groupId, context.RequestAborted), "The group was deleted. What it granted is visible by the other groups' grants only (or to everyone, when no group is granted it any more).");
        });

        groups.MapPost("/{groupId}/members", async Task<IResult> (HttpContext context, string groupId, GroupStore store, IAccountAdministrationService accounts, Flash flash) =>
        {
            if (await UsersPages.AdminAsync(context) is not (var acting, var denied))
            {
                return Respond.SeeOther("/session-ended");
            }

            if (denied is not null)
            {
                return denied;
            }

            var userId = await FormFields.FieldAsync(context, "userId");
            var add = await FormFields.FieldAsync(context, "member") != "false";

            // Only users of the acting contract can be members (the library lists them; the sample keeps no user table).
            var listed = await accounts.ListUsersAsync(acting.Id, context.RequestAborted);
            if (!listed.Succeeded || listed.Value.FirstOrDefault(u => u.Id == userId) is not { } user)
            {
                return flash.Errors(context, Card, FlashKey, ["That user is not in your contract. Choose one from the list."]);
            }

            var change = add
                ? await store.AddMemberAsync(acting.ContractId, groupId, user.Id, context.RequestAborted)
                : await store.RemoveMemberAsync(acting.ContractId, groupId, user.Id, context.RequestAborted);
            return Answer(context, flash, change, ConsoleText.Of(add ? "{0} is now a member of the group." : "{0} is no longer a member of the group.", user.Email));
        });

        groups.MapPost("/{groupId}/grants", async Task<IResult> (HttpContext context, string groupId, GroupStore store, ResourceCatalog catalog, Flash flash) =>
        {
            if (await UsersPages.AdminAsync(context) is not (var acting, var denied))
            {
                return Respond.SeeOther("/session-ended");
            }

            if (denied is not null)
            {
                return denied;
            }

            var resourceId = await FormFields.FieldAsync(context, "resourceId");
            var grant = await FormFields.FieldAsync(context, "granted") != "false";
            if (string.IsNullOrEmpty(resourceId) || await catalog.FindAsync(resourceId, context.RequestAborted) is not { } resource)
            {
                return flash.Errors(context, Card, FlashKey, ["That data center or snapshot does not exist. Choose one from the list."]);
            }

            var change = grant
                ? await store.GrantAsync(acting.ContractId, groupId, resource.Id, context.RequestAborted)
                : await store.RevokeAsync(acting.ContractId, groupId, resource.Id, context.RequestAborted);

            // The rule widens when the last grant goes (granted to no group = visible to everyone): say so.
            var unrestricted = !grant && !(await store.ListAsync(acting.ContractId, context.RequestAborted)).Any(g => g.Grants.Contains(resource.Id, StringComparer.Ordinal));
            return Answer(context, flash, change, grant
                ? ConsoleText.Of("{0} is granted to the group now.", resource.Name)
                : unrestricted
                    ? ConsoleText.Of("{0} is no longer granted to the group. No group is granted it now, so every user of the contract sees it.", resource.Name)
                    : ConsoleText.Of("{0} is no longer granted to the group.", resource.Name));
        });
    }

    private static IResult Answer(HttpContext context, Flash flash, GroupChange change, string done) => change switch
    {
        GroupChange.Done => flash.Notice(context, Card, done),
        GroupChange.InvalidName => flash.Errors(context, Card, FlashKey, [ConsoleText.Of("A group name has 1 to {0} characters and no line breaks or other control characters.", GroupStore.MaxNameLength)]),
        GroupChange.DuplicateName => flash.Errors(context, Card, FlashKey, ["Your contract already has a group with that name. Choose another name."]),
        _ => flash.Errors(context, Card, FlashKey, ["That group does not exist (any more). Check the list below."]),
    };
}
