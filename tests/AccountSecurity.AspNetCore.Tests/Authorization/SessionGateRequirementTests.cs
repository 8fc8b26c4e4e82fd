using System.Security.Claims;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Tests.Authorization;

/// <summary>
/// The requirements that hold a standing session at one task (<see cref="ForcedPasswordChangeRequirement"/>,
/// <see cref="ForcedTwoFactorSetupRequirement"/>) on their own: a marked session only where the endpoint allows it,
/// an unmarked one everywhere, and each one only its own mark.
/// </summary>
public sealed class SessionGateRequirementTests
{
    [Test]
    public async Task PasswordChange_RefusesAMarkedSession_OnAnUnmarkedEndpoint_AndRemembersItRefused()
    {
        var http = Request();

        var context = await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Marked(AccountSecurityClaimTypes.PasswordChangeRequired), http);

        context.HasSucceeded.Should().BeFalse();
        context.FailureReasons.Should().ContainSingle().Which.Message.Should().Contain("breach");
        ForcedPasswordChangeRequirement.WasRefused(http).Should().BeTrue();
        ForcedTwoFactorSetupRequirement.WasRefused(http).Should().BeFalse("the refusal is the password change's, not the setup's");
    }

    [Test]
    public async Task PasswordChange_LetsAMarkedSessionThrough_OnAnEndpointThatAllowsIt()
    {
        var http = Request(new AllowDuringPasswordChangeAttribute());

        var context = await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Marked(AccountSecurityClaimTypes.PasswordChangeRequired), http);

        context.HasSucceeded.Should().BeTrue();
        ForcedPasswordChangeRequirement.WasRefused(http).Should().BeFalse();
    }

    [Test]
    public async Task PasswordChange_IsNotLiftedByTheTwoFactorSetupsAllowance()
    {
        var http = Request(new AllowDuringTwoFactorSetupAttribute());

        var context = await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Marked(AccountSecurityClaimTypes.PasswordChangeRequired), http);

        context.HasSucceeded.Should().BeFalse();
    }

    [Test]
    public async Task PasswordChange_LetsAnUnmarkedSessionThrough_AndOneMarkedOnlyForTheSetup()
    {
        (await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Session(), Request())).HasSucceeded.Should().BeTrue();
        (await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Marked(AccountSecurityClaimTypes.TwoFactorSetupRequired), Request())).HasSucceeded.Should().BeTrue();
    }

    [Test]
    public async Task PasswordChange_WithoutTheRequest_RefusesAMarkedSession()
    {
        var context = await AuthorizeAsync(ForcedPasswordChangeRequirement.Instance, Marked(AccountSecurityClaimTypes.PasswordChangeRequired), resource: null);

        context.HasSucceeded.Should().BeFalse("without the request the endpoint is unknown");
    }

    [Test]
    public async Task TwoFactorSetup_RefusesOnlyItsOwnMark_AndIsLiftedOnlyByItsOwnAllowance()
    {
        var setup = Marked(AccountSecurityClaimTypes.TwoFactorSetupRequired);

        (await AuthorizeAsync(ForcedTwoFactorSetupRequirement.Instance, setup, Request())).HasSucceeded.Should().BeFalse();
        (await AuthorizeAsync(ForcedTwoFactorSetupRequirement.Instance, setup, Request(new AllowDuringPasswordChangeAttribute()))).HasSucceeded.Should().BeFalse();
        (await AuthorizeAsync(ForcedTwoFactorSetupRequirement.Instance, setup, Request(new AllowDuringTwoFactorSetupAttribute()))).HasSucceeded.Should().BeTrue();
        (await AuthorizeAsync(ForcedTwoFactorSetupRequirement.Instance, Marked(AccountSecurityClaimTypes.PasswordChangeRequired), Request())).HasSucceeded.Should().BeTrue();
    }

    private static async Task<AuthorizationHandlerContext> AuthorizeAsync<T>(T requirement, ClaimsPrincipal user, object? resource)
        where T : IAuthorizationHandler, IAuthorizationRequirement
    {
        var context = new AuthorizationHandlerContext([requirement], user, resource);
        await requirement.HandleAsync(context);
        return context;
    }

    private static ClaimsPrincipal Session() =>
        AccountSecurityPrincipal.Create(new AuthenticatedSession("alice", "c1", "stamp", [AuthenticationMethods.Password], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

    private static ClaimsPrincipal Marked(string claimType) => AccountSecurityPrincipal.WithMark(Session(), claimType, required: true);

    private static DefaultHttpContext Request(params object[] metadata)
    {
        var http = new DefaultHttpContext();
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test"));
        return http;
    }
}
