using AccountSecurity.Resources;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.Resources;

public sealed class ProtectedResourceAccessTests
{
    private sealed record DataCenter(string Name, bool SecAuthProtection) : ISecAuthProtectedResource;

    private sealed record Snapshot(string Name, bool SecAuthProtection) : ISecAuthProtectedResource;

    /// <summary>A host type that does not implement the interface: read through the Func overload.</summary>
    private sealed record Volume(string Name, bool Sensitive);

    private static readonly DataCenter[] DataCenters = [new("fra", false), new("txl-prod", true), new("ams", false)];
    private static readonly Snapshot[] Snapshots = [new("nightly", true), new("manual", false)];
    private static readonly Volume[] Volumes = [new("scratch", false), new("db", true)];

    private static async Task<(TwoFactorTestHost Host, Enrolled Enrolled)> ActiveUserAsync()
    {
        var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        return (host, await host.EnableTwoFactorAsync("alice"));
    }

    private static async Task ShouldSeeOnlyUnprotected(IProtectedResourceAccess access, AuthenticatedSession? session)
    {
        (await access.FilterAsync(session, DataCenters)).Select(d => d.Name).Should().Equal("fra", "ams");
        (await access.FilterAsync(session, Snapshots)).Select(s => s.Name).Should().Equal("manual");
        (await access.FilterAsync(session, Volumes, v => v.Sensitive)).Select(v => v.Name).Should().Equal("scratch");
        (await access.CanSeeAsync(session, DataCenters[1])).Should().BeFalse();
        (await access.CanSeeAsync(session, DataCenters[0])).Should().BeTrue();
        (await access.CanSeeAsync(session, secAuthProtection: true)).Should().BeFalse();
        (await access.CanSeeAsync(session, secAuthProtection: false)).Should().BeTrue();
    }

    [Test]
    public async Task Filter_MfaSessionOfActiveUser_ShowsEverything()
    {
        var (host, enrolled) = await ActiveUserAsync();
        using var _ = host;
        var session = await host.SignInWithCodeAsync("alice", enrolled);

        (await host.Resources.FilterAsync(session, DataCenters)).Should().Equal(DataCenters);
        (await host.Resources.FilterAsync(session, Snapshots)).Should().Equal(Snapshots);
        (await host.Resources.FilterAsync(session, Volumes, v => v.Sensitive)).Should().Equal(Volumes);
        (await host.Resources.CanSeeAsync(session, DataCenters[1])).Should().BeTrue();
        (await host.Resources.CanSeeAsync(session, Snapshots[0])).Should().BeTrue();
    }

    [Test]
    public async Task Filter_RecoveryCodeSession_ShowsProtected()
    {
        var (host, enrolled) = await ActiveUserAsync();
        using var _ = host;
        var result = await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), enrolled.RecoveryCodes[0]);

        (await host.Resources.FilterAsync(result.Session, DataCenters)).Should().Equal(DataCenters);
    }

    [Test]
    public async Task Filter_PasswordOnlySession_HidesProtected()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        await ShouldSeeOnlyUnprotected(host.Resources, session);
    }

    [Test]
    public async Task Filter_PasswordOnlySessionClaimingMfaWithoutSecondFactor_HidesProtected()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var session = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        // The user has no active 2FA: even a session claiming mfa must not see protected resources.
        await ShouldSeeOnlyUnprotected(host.Resources, session with { Methods = [AuthenticationMethods.Password, AuthenticationMethods.Otp, AuthenticationMethods.MultiFactor] });
    }

    [Test]
    public async Task Filter_NullSession_HidesProtected()
    {
        using var host = await TwoFactorTestHost.CreateAsync();

        await ShouldSeeOnlyUnprotected(host.Resources, null);
    }

    [Test]
    public async Task Filter_StaleStamp_HidesProtected()
    {
        var (host, enrolled) = await ActiveUserAsync();
        using var _ = host;
        var session = await host.SignInWithCodeAsync("alice", enrolled);
        (await host.PasswordChange.ChangePasswordAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();

        await ShouldSeeOnlyUnprotected(host.Resources, session);
    }

    [Test]
    public async Task Filter_UserWhoseTwoFactorWasDisabledSince_HidesProtected()
    {
        var (host, enrolled) = await ActiveUserAsync();
        using var _ = host;
        var session = await host.SignInWithCodeAsync("alice", enrolled);

        // Even if a store bypass switched 2FA off without changing the stamp, the live 2FA state is checked.
        await host.UpdateUserAsync("alice", u => u with { TwoFactor = u.TwoFactor with { IsEnabled = false } });

        await ShouldSeeOnlyUnprotected(host.Resources, session);
    }

    [Test]
    public async Task Filter_AfterDisable_OldSessionAndNewSessionHideProtected()
    {
        var (host, enrolled) = await ActiveUserAsync();
        using var _ = host;
        var session = await host.SignInWithCodeAsync("alice", enrolled);
        (await host.TwoFactor.DisableAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret))).Succeeded.Should().BeTrue();
        var fresh = (await host.SignIn.PasswordSignInAsync("alice@a.example", TwoFactorTestHost.UserPassword)).Session!;

        await ShouldSeeOnlyUnprotected(host.Resources, session);
        await ShouldSeeOnlyUnprotected(host.Resources, fresh);
    }

    [Test]
    public async Task Filter_OnlyUnprotectedResources_AreAlwaysShownInOrder()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        DataCenter[] open = [new("a", false), new("b", false)];

        (await host.Resources.FilterAsync(null, open)).Should().Equal(open);
        (await host.Resources.FilterAsync(null, Array.Empty<Snapshot>())).Should().BeEmpty();
    }
}
