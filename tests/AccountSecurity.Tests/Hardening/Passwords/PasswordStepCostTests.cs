using AccountSecurity.Passwords;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 8, item 1: every answer to a password step costs exactly one bcrypt at the configured cost, whatever the
/// input and whatever the account — counted through the hasher's bcrypt seam, never timed.
/// </summary>
public sealed class PasswordStepCostTests
{
    private const int WorkFactor = 4;

    private static readonly BcryptCall OneAtConfiguredCost = new(IsVerify: true, WorkFactor, Threw: false);

    /// <summary>Every kind of password a client can send, usable or not (all in NFKC form).</summary>
    public static IEnumerable<TestCaseData> AnyPassword()
    {
        yield return new TestCaseData(null).SetArgDisplayNames("null");
        yield return new TestCaseData(string.Empty).SetArgDisplayNames("empty");
        yield return new TestCaseData(new string('k', 10_000)).SetArgDisplayNames("10,000 characters");
        yield return new TestCaseData("violet-Anchor\0-29-quiet").SetArgDisplayNames("NUL");
        yield return new TestCaseData("violet-Anchor-" + '\uD800' + "-quiet").SetArgDisplayNames("lone surrogate");
        yield return new TestCaseData("violet-Anchor-29-quiet" + '\uFFFE').SetArgDisplayNames("noncharacter");
        yield return new TestCaseData(new string('k', 200)).SetArgDisplayNames("200 characters (over raw bcrypt's 72 bytes)");
        yield return new TestCaseData("wrong-password-entirely").SetArgDisplayNames("wrong");
        yield return new TestCaseData(TestHost.InitialPassword).SetArgDisplayNames("right");
    }

    private static async Task<(TestHost Host, CountingBcrypt Counter)> SeededAsync(Action<AccountSecurity.DependencyInjection.AccountSecurityOptions>? configure = null)
    {
        var counter = new CountingBcrypt();
        var host = CountingBcrypt.Host(counter, configure);
        await host.SeedContractAsync();
        counter.Clear();
        return (host, counter);
    }

    [TestCaseSource(nameof(AnyPassword))]
    public async Task SignIn_ExistingUser_AnyPassword_CostsExactlyOneBcryptAtTheConfiguredCost(string? password)
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;

        await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, password);

        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [TestCaseSource(nameof(AnyPassword))]
    public async Task SignIn_UnknownEmail_AnyPassword_CostsExactlyOneBcryptAtTheConfiguredCost(string? password)
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;

        await host.Get<ISignInService>().PasswordSignInAsync("nobody.here@example.com", password);

        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [TestCaseSource(nameof(AnyPassword))]
    public async Task SignIn_InactiveUser_AnyPassword_CostsExactlyOneBcryptAtTheConfiguredCost(string? password)
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;
        await host.ModifyUserAsync(TestHost.UserId, u => u with { IsActive = false });

        await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, password);

        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    private static IEnumerable<TestCaseData> UncheckableStoredHashes()
    {
        yield return new TestCaseData("asv1:garbage").SetArgDisplayNames("malformed");
        yield return new TestCaseData("pbkdf2$10000$abc").SetArgDisplayNames("unknown scheme");
        yield return new TestCaseData("$2x$04$zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz").SetArgDisplayNames("revision BCrypt.Net refuses");
        yield return new TestCaseData("$2b$31$" + new string('a', 53)).SetArgDisplayNames("cost 31");
        yield return new TestCaseData("asv1:$2a$17$" + new string('a', 53)).SetArgDisplayNames("cost above the maximum");
    }

    [TestCaseSource(nameof(UncheckableStoredHashes))]
    public async Task SignIn_StoredHashThatCannotBeChecked_CostsExactlyOneBcryptAtTheConfiguredCost(string storedHash)
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;
        await host.ModifyUserAsync(TestHost.UserId, u => u with { PasswordHash = storedHash });

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [Test]
    public async Task SignIn_LockedOutUser_CostsExactlyOneBcryptAtTheConfiguredCost()
    {
        var (host, counter) = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await using var _ = host;
        var signIn = host.Get<ISignInService>();
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-1");
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-2");
        counter.Clear();

        var result = await signIn.PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);

        result.Status.Should().Be(SignInStatus.LockedOut);
        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [TestCaseSource(nameof(AnyPassword))]
    public async Task PasswordChange_AnyCurrentPassword_CostsExactlyOneBcryptBeforeTheAnswer(string? currentPassword)
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;

        // No new password: on a right current password nothing is compared with the history, so the one check is all.
        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(TestHost.UserId), currentPassword, null, null);

        result.Succeeded.Should().BeFalse();
        if (currentPassword is null)
        {
            // No password inline (issue 26): the session itself must prove a recent sign-in, and this one proves nothing;
            // refused by its code before any bcrypt, so the cost tells nothing the answer does not.
            result.HasError(SecurityErrorCodes.NotAuthenticated).Should().BeTrue(result.ToString());
            counter.Calls.Should().BeEmpty();
            return;
        }

        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [TestCaseSource(nameof(AnyPassword))]
    public async Task Verifier_EveryReauthentication_AnyPassword_CostsExactlyOneBcrypt(string? password)
    {
        // The one check every re-authentication (password change, 2FA setup and disable, PIN changes) goes through.
        var (host, counter) = await SeededAsync();
        await using var _ = host;

        await host.Get<PasswordVerifier>().CheckAsync(await host.UserAsync(), password, SecurityErrorCodes.PasswordWrongCurrent, CancellationToken.None);

        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [Test]
    public async Task Verifier_UserDeletedBeforeTheCheck_CostsExactlyOneBcrypt()
    {
        var (host, counter) = await SeededAsync();
        await using var _ = host;
        var vanished = (await host.UserAsync()) with { Id = "never-stored" };

        var check = await host.Get<PasswordVerifier>().CheckAsync(vanished, TestHost.InitialPassword, SecurityErrorCodes.PasswordWrongCurrent, CancellationToken.None);

        check.Succeeded.Should().BeFalse();
        counter.Calls.Should().Equal(OneAtConfiguredCost);
    }

    [Test]
    public async Task SignIn_PasswordNotInNfkcForm_CostsTheSameForExistingUnknownAndMalformedAccounts()
    {
        // A ligature is NFKC-normalised to "fi": an imported raw hash needs both forms checked, so every answer pays for two.
        const string Ligature = "\uFB01ne-violet-Anchor-29";
        var (host, counter) = await SeededAsync();
        await using var _ = host;
        await host.ModifyUserAsync(TestHost.AdminId, u => u with { PasswordHash = "asv1:garbage" });
        var signIn = host.Get<ISignInService>();
        var answers = new List<IReadOnlyList<BcryptCall>>();

        foreach (var email in new[] { TestHost.UserEmail, "nobody.here@example.com", TestHost.AdminEmail })
        {
            counter.Clear();
            await signIn.PasswordSignInAsync(email, Ligature);
            answers.Add(counter.Calls);
        }

        answers.Should().AllSatisfy(calls => calls.Should().Equal(OneAtConfiguredCost, OneAtConfiguredCost));
    }

    private static IEnumerable<TestCaseData> AnyStoredHash()
    {
        var current = CountingBcrypt.Hasher(new CountingBcrypt()).Hash("violet-Anchor-29-quiet").Value;
        yield return new TestCaseData(current).SetArgDisplayNames("current");
        yield return new TestCaseData(BCryptNet.HashPassword("violet-Anchor-29-quiet", BCryptNet.GenerateSalt(WorkFactor, 'b'))).SetArgDisplayNames("raw $2b$");
        yield return new TestCaseData(null).SetArgDisplayNames("none");
        yield return new TestCaseData("asv1:$2a$04$tooShort").SetArgDisplayNames("malformed");
        yield return new TestCaseData("$2b$31$" + new string('a', 53)).SetArgDisplayNames("cost 31");
    }

    [TestCaseSource(nameof(AnyStoredHash))]
    public void Hasher_Verify_CostDependsOnThePasswordOnly(string? storedHash)
    {
        var counter = new CountingBcrypt();
        var hasher = CountingBcrypt.Hasher(counter);

        foreach (var (password, expected) in new (string?, int)[] { (null, 1), (string.Empty, 1), ("x\0y", 1), ("violet-Anchor-29-quiet", 1), ("not-it-at-all", 1), ("\uFB01ne-violet", 2), ("cafe\u0301-violet", 2) })
        {
            counter.Clear();
            hasher.Verify(storedHash, password);
            counter.Calls.Should().HaveCount(expected, $"password {password?.Length} chars").And.OnlyContain(c => c == OneAtConfiguredCost);
        }
    }

    [Test]
    public void Hasher_VerifyDummy_RunsARealBcryptAtTheConfiguredCostForAnyInput()
    {
        var counter = new CountingBcrypt();
        var hasher = CountingBcrypt.Hasher(counter, workFactor: 5);

        foreach (var password in new[] { null, string.Empty, "a\0b", "x" + '\uD800', new string('k', 10_000), "violet-Anchor-29-quiet" })
        {
            counter.Clear();
            hasher.VerifyDummy(password);
            counter.Calls.Should().Equal(new BcryptCall(IsVerify: true, 5, Threw: false));
        }
    }
}
