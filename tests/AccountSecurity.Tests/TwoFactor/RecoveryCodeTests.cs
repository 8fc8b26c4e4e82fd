using System.Text.RegularExpressions;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;

namespace AccountSecurity.Tests.TwoFactor;

public sealed partial class RecoveryCodeTests
{
    [GeneratedRegex("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")]
    private static partial Regex CodeFormat();

    [Test]
    public async Task ConfirmSetup_IssuesTenDistinctCodesOfEightyBitsInGroupsOfFour()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");

        var enrolled = await host.EnableTwoFactorAsync("alice");

        enrolled.RecoveryCodes.Should().HaveCount(10).And.OnlyHaveUniqueItems();
        enrolled.RecoveryCodes.Should().OnlyContain(c => CodeFormat().IsMatch(c));
        var symbols = enrolled.RecoveryCodes.SelectMany(c => c.Replace("-", string.Empty, StringComparison.Ordinal)).Distinct().ToList();
        symbols.Should().OnlyContain(c => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".Contains(c));
        (16 * Math.Log2(32)).Should().BeGreaterThanOrEqualTo(50);
        symbols.Count.Should().BeGreaterThan(16, "160 random symbols from a 32-symbol alphabet cover far more than half of it");
    }

    [Test]
    public async Task RecoveryCodes_AreStoredOnlyHashed()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var stored = await host.GetUserAsync("alice");
        var everything = string.Join("|", stored.TwoFactor.RecoveryCodeHashes) + stored + stored.TwoFactor + stored.TwoFactor.ProtectedSecret;
        stored.TwoFactor.RecoveryCodeHashes.Should().HaveCount(10);
        foreach (var code in enrolled.RecoveryCodes)
        {
            everything.Should().NotContain(code).And.NotContain(code.Replace("-", string.Empty, StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task RecoveryCodeSignIn_EachCodeWorksOnce_AndCaseAndSpacesAreTolerated()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var code = enrolled.RecoveryCodes[3];

        var first = await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), " " + code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal) + " ");
        first.Status.Should().Be(SignInStatus.Succeeded);
        first.Session!.Methods.Should().Equal(AuthenticationMethods.Password, AuthenticationMethods.RecoveryCode, AuthenticationMethods.MultiFactor);
        (await host.GetUserAsync("alice")).TwoFactor.RecoveryCodeHashes.Should().HaveCount(9);
        host.Events.OfType(SecurityEventType.RecoveryCodeUsed).Should().ContainSingle();

        var second = await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), code);
        second.Status.Should().Be(SignInStatus.Failed);
        second.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);

        (await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), enrolled.RecoveryCodes[4])).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task RecoveryCodeSignIn_MalformedCodes_FailWithoutThrowing()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Lockout.SecondFactor.MaxFailedAttempts = 100);
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");

        foreach (var code in new[] { null, string.Empty, "-", enrolled.RecoveryCodes[0][..^1], enrolled.RecoveryCodes[0] + "A", new string('A', 10_000), "\uD800" })
        {
            (await host.SignIn.RecoveryCodeSignInAsync(ticket, code)).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        }
    }

    [Test]
    public async Task RegenerateRecoveryCodes_NeedsCurrentPassword_AndReplacesAllOldCodes()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var refused = await host.TwoFactor.RegenerateRecoveryCodesAsync(TestSessions.Of("alice"), "Not-The-Password-1", host.CodeFor(enrolled.Secret));
        refused.HasError(SecurityErrorCodes.PasswordWrongCurrent).Should().BeTrue();
        (await host.GetUserAsync("alice")).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);

        var regenerated = await host.TwoFactor.RegenerateRecoveryCodesAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, host.CodeFor(enrolled.Secret));
        regenerated.Succeeded.Should().BeTrue();
        regenerated.Value.Should().HaveCount(10).And.NotIntersectWith(enrolled.RecoveryCodes);
        host.Events.OfType(SecurityEventType.RecoveryCodesRegenerated).Should().ContainSingle();

        foreach (var old in enrolled.RecoveryCodes.Take(3))
        {
            (await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), old)).ErrorCode.Should().Be(SecurityErrorCodes.InvalidCode);
        }

        (await host.SignIn.RecoveryCodeSignInAsync(await host.TicketAsync("alice"), regenerated.Value[0])).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task RecoveryCodeSignIn_OneCodeFiftyParallelTasks_ExactlyOneSucceeds()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.Stores.MaxConcurrencyRetries = 10_000);
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var ticket = await host.TicketAsync("alice");
        var signIn = host.SignIn;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await signIn.RecoveryCodeSignInAsync(ticket, enrolled.RecoveryCodes[0]))));

        results.Count(r => r.Succeeded).Should().Be(1);
        (await host.GetUserAsync("alice")).TwoFactor.RecoveryCodeHashes.Should().HaveCount(9);
        host.Events.OfType(SecurityEventType.RecoveryCodeUsed).Should().ContainSingle();
    }
}
