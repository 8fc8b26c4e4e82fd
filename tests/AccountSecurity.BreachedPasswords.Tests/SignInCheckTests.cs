using AccountSecurity.BreachedPasswords.Tests.TestSupport;
using AccountSecurity.Events;
using AccountSecurity.Notifications;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.SignIn;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>The optional check after a sign-in: a breached password marks the account, the session goes to the change, the owner is told.</summary>
public sealed class SignInCheckTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("breach-signin-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private Task<BreachTestHost> HostAsync(bool checkAtSignIn) =>
        BreachTestHost.CreateAsync(o =>
        {
            o.MirrorDirectory = _folder;
            o.PartialMirror = true;
            o.CheckAtSignIn = checkAtSignIn;
            o.CacheSize = 0; // the data set grows after the accounts were created
        });

    [Test]
    public async Task ABreachedPassword_AtSignIn_MarksTheAccount_SendsTheSessionToTheChange_AndTellsTheOwner()
    {
        await using var host = await HostAsync(checkAtSignIn: true);
        await BreachedPasswordMirror.WriteAsync(_folder, [BreachTestHost.InitialPassword]);

        var signIn = await host.Get<ISignInService>().PasswordSignInAsync(BreachTestHost.UserEmail, BreachTestHost.InitialPassword);

        signIn.Status.Should().Be(SignInStatus.Succeeded, "the sign-in never waits for the lookup");
        await BreachTestHost.WaitUntilAsync(async () => (await host.UserAsync()).PasswordChangeRequired, "the account is marked");
        (await host.Get<ISignInService>().GetSessionStatusAsync(signIn.Session!)).Should().Be(SessionStatus.PasswordChangeRequired);
        await BreachTestHost.WaitUntilAsync(() => Task.FromResult(host.Senders.Notifications.Any(n => n.Kind == SecurityNotificationKind.PasswordFoundInBreach)), "the owner is told");
        var notification = host.Senders.Notifications.Single(n => n.Kind == SecurityNotificationKind.PasswordFoundInBreach);
        notification.Recipients.Should().Equal(BreachTestHost.UserEmail);
        notification.Subject.Should().Contain("data breach");
        host.Events.OfType(SecurityEventType.PasswordFoundInBreach).Should().ContainSingle().Which.Outcome.Should().Be("marked");
    }

    [Test]
    public async Task ChangingThePassword_ClearsTheMark()
    {
        await using var host = await HostAsync(checkAtSignIn: true);
        await BreachedPasswordMirror.WriteAsync(_folder, [BreachTestHost.InitialPassword]);
        var signIn = await host.Get<ISignInService>().PasswordSignInAsync(BreachTestHost.UserEmail, BreachTestHost.InitialPassword);
        await BreachTestHost.WaitUntilAsync(async () => (await host.UserAsync()).PasswordChangeRequired, "the account is marked");

        var changed = await host.Get<IPasswordChangeService>().ChangePasswordAsync(signIn.Session!, BreachTestHost.InitialPassword, BreachTestHost.CleanPassword, BreachTestHost.CleanPassword);

        changed.Succeeded.Should().BeTrue(changed.ToString());
        (await host.UserAsync()).PasswordChangeRequired.Should().BeFalse();
        var next = await host.Get<ISignInService>().PasswordSignInAsync(BreachTestHost.UserEmail, BreachTestHost.CleanPassword);
        (await host.Get<ISignInService>().GetSessionStatusAsync(next.Session!)).Should().Be(SessionStatus.Valid);
    }

    [Test]
    public async Task ACleanPassword_AtSignIn_MarksNothing()
    {
        await using var host = await HostAsync(checkAtSignIn: true);
        await BreachedPasswordMirror.WriteAsync(_folder, ["some-other-breached-password"]);

        (await host.Get<ISignInService>().PasswordSignInAsync(BreachTestHost.UserEmail, BreachTestHost.InitialPassword)).Succeeded.Should().BeTrue();

        await BreachTestHost.WaitUntilAsync(() => Task.FromResult(host.MetricTags.Any(t => t == "accountsecurity.breached_passwords.lookups outcome=not_breached")), "the lookup ran");
        (await host.UserAsync()).PasswordChangeRequired.Should().BeFalse();
        host.Events.OfType(SecurityEventType.PasswordFoundInBreach).Should().BeEmpty();
    }

    [Test]
    public async Task ByDefault_NothingIsCheckedAtSignIn()
    {
        await using var host = await HostAsync(checkAtSignIn: false);

        host.Get<IEnumerable<ISignInPasswordScreen>>().Single().Prepare(BreachTestHost.InitialPassword).Should().BeNull();
    }
}
