using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.Passwords.Hashing;
using AccountSecurity.Tests.TestSupport;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Passwords.Change;

public sealed class PasswordChangeServiceTests
{
    private static async Task<TestHost> SeededAsync(Action<AccountSecurity.DependencyInjection.AccountSecurityOptions>? configure = null)
    {
        var host = Create(configure);
        await host.SeedContractAsync();
        return host;
    }

    [Test]
    public async Task ChangePassword_WithWrongCurrentPassword_FailsAndKeepsOldHash()
    {
        await using var host = await SeededAsync();
        var before = await host.UserAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "not-the-password-1", SecondPassword, SecondPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordWrongCurrent);
        result.LockedOutUntil.Should().BeNull();
        var after = await host.UserAsync();
        after.PasswordHash.Should().Be(before.PasswordHash);
        after.SecurityStamp.Should().Be(before.SecurityStamp);
        after.Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);
        host.Events.OfType(SecurityEventType.PasswordChangeFailed).Should().ContainSingle().Which.Outcome.Should().Be(SecurityErrorCodes.PasswordWrongCurrent);
    }

    [TestCase(null)]
    [TestCase("")]
    public async Task ChangePassword_WithMissingCurrentPassword_FailsAsWrongCurrent(string? current)
    {
        await using var host = await SeededAsync();
        // A current session whose sign-in is older than the re-authentication window (issue 26).
        var stale = TestSessions.SignedIn(await host.UserAsync(), host.Time.GetUtcNow() - TimeSpan.FromMinutes(11));

        var result = await host.Change.ChangePasswordAsync(stale, current, SecondPassword, SecondPassword);

        // No password at all (null) is no inline proof: the session must have re-authenticated recently instead, and
        // nothing is counted. An empty one is a wrong password, as before.
        result.Errors.Select(e => e.Code).Should().Equal(current is null ? SecurityErrorCodes.ReauthenticationRequired : SecurityErrorCodes.PasswordWrongCurrent);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(current is null ? 0 : 1);
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ChangePassword_WithRepetitionMismatch_FailsWithMismatch()
    {
        await using var host = await SeededAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword + "x");

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordMismatch);
        (await host.UserAsync()).PasswordHash.Should().NotBeNull();
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ChangePassword_RepetitionInAnotherUnicodeForm_IsNotAMismatch()
    {
        await using var host = await SeededAsync();
        const string Typed = "Ｓｅｃｏｎｄ ｒｉｖｅｒ ｐａｓｓ ４２"; // full-width: NFKC makes it "Second river pass 42"
        const string Repeated = "Second river pass 42";

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, Typed, Repeated);

        result.Succeeded.Should().BeTrue(result.ToString());
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, Repeated).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ChangePassword_WithSeveralProblems_ReturnsEveryOneTogether()
    {
        await using var host = await SeededAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, "password", "passw0rd");

        result.Errors.Select(e => e.Code).Should().BeEquivalentTo(
            SecurityErrorCodes.PasswordMismatch, SecurityErrorCodes.PasswordTooShort, SecurityErrorCodes.PasswordCommon);
        result.Errors.Should().OnlyContain(e => e.Message.Length > 0);
    }

    [Test]
    public async Task ChangePassword_NewPasswordContainingEmail_FailsWithContainsEmail()
    {
        await using var host = await SeededAsync();
        var withEmail = "my-" + UserEmail + "-pw";

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, withEmail, withEmail);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordContainsEmail);
    }

    [Test]
    public async Task ChangePassword_UnderContractPolicy_ReturnsEachCompositionViolation()
    {
        await using var host = await SeededAsync();
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default with { MinimumDigits = 2, MinimumUppercase = 1, MinimumSpecial = 1 })).Succeeded.Should().BeTrue();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, "lowercase only words", "lowercase only words");

        result.Errors.Select(e => e.Code).Should().BeEquivalentTo(SecurityErrorCodes.PasswordRequiresDigit, SecurityErrorCodes.PasswordRequiresUppercase);
    }

    [Test]
    public async Task ChangePassword_NewEqualsCurrent_FailsWithSameAsCurrent()
    {
        await using var host = await SeededAsync();

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, InitialPassword, InitialPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordSameAsCurrent);
    }

    [Test]
    public async Task ChangePassword_NewEqualsCurrentEvenWithHistoryOff_FailsWithSameAsCurrent()
    {
        await using var host = await SeededAsync(o => o.DefaultPasswordPolicy = PasswordPolicySettings.Default with { HistoryDepth = 0 });

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, InitialPassword, InitialPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordSameAsCurrent);
    }

    [TestCase(2)]
    [TestCase(5)]
    public async Task ChangePassword_BackToPasswordWithinHistoryDepth_FailsWithReused(int depth)
    {
        await using var host = await SeededAsync(o => o.DefaultPasswordPolicy = PasswordPolicySettings.Default with { HistoryDepth = depth });
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), SecondPassword, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();

        var backToFirst = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), ThirdPassword, InitialPassword, InitialPassword);
        var backToSecond = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), ThirdPassword, SecondPassword, SecondPassword);

        backToFirst.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordReused);
        backToSecond.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordReused);
    }

    [Test]
    public async Task ChangePassword_BackToPasswordBeyondHistoryDepth_Succeeds()
    {
        await using var host = await SeededAsync(o => o.DefaultPasswordPolicy = PasswordPolicySettings.Default with { HistoryDepth = 1 });
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), SecondPassword, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), ThirdPassword, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordReused);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), ThirdPassword, InitialPassword, InitialPassword)).Succeeded.Should().BeTrue();
        (await host.UserAsync()).PasswordHistory.Should().HaveCount(1);
    }

    [Test]
    public async Task ChangePassword_BackToOldPasswordWithHistoryOff_Succeeds()
    {
        await using var host = await SeededAsync(o => o.DefaultPasswordPolicy = PasswordPolicySettings.Default with { HistoryDepth = 0 });
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), SecondPassword, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), ThirdPassword, InitialPassword, InitialPassword)).Succeeded.Should().BeTrue();
        (await host.UserAsync()).PasswordHistory.Should().BeEmpty();
    }

    [Test]
    public async Task ChangePassword_History_IsBoundedByDepthAndNewestFirst()
    {
        await using var host = await SeededAsync(o => o.DefaultPasswordPolicy = PasswordPolicySettings.Default with { HistoryDepth = 2 });
        var passwords = new[] { InitialPassword, SecondPassword, ThirdPassword, FourthPassword };
        for (var i = 1; i < passwords.Length; i++)
        {
            (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), passwords[i - 1], passwords[i], passwords[i])).Succeeded.Should().BeTrue();
        }

        var history = (await host.UserAsync()).PasswordHistory;

        history.Should().HaveCount(2);
        host.Hasher.Verify(history[0], ThirdPassword).Should().Be(PasswordVerificationResult.Success);
        host.Hasher.Verify(history[1], SecondPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ChangePassword_Valid_StoresNewHashChangesStampAndClearsResetTokens()
    {
        await using var host = await SeededAsync();
        (await host.Reset.RequestResetAsync(UserEmail)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();
        var before = await host.UserAsync();
        before.PasswordResetTokens.Should().NotBeEmpty();
        host.Time.Advance(TimeSpan.FromMinutes(3));

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword);

        result.Succeeded.Should().BeTrue(result.ToString());
        var after = await host.UserAsync();
        after.PasswordHash.Should().NotBe(before.PasswordHash).And.StartWith(BcryptPasswordHasher.CurrentSchemeMarker);
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        result.Value.SecurityStamp.Should().Be(after.SecurityStamp);
        result.Value.UserId.Should().Be(UserId);
        result.Value.ChangedAt.Should().Be(host.Time.GetUtcNow());
        after.PasswordChangedAt.Should().Be(host.Time.GetUtcNow());
        after.PasswordResetTokens.Should().BeEmpty();
        host.Events.OfType(SecurityEventType.PasswordChanged).Should().ContainSingle().Which.UserId.Should().Be(UserId);
    }

    [Test]
    public async Task ChangePassword_Valid_NewPasswordVerifiesAndOldOneDoesNot()
    {
        await using var host = await SeededAsync();

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        var stored = (await host.UserAsync()).PasswordHash;
        host.Hasher.Verify(stored, SecondPassword).Should().Be(PasswordVerificationResult.Success);
        host.Hasher.Verify(stored, InitialPassword).Should().Be(PasswordVerificationResult.Failed);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, ThirdPassword, ThirdPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordWrongCurrent);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), SecondPassword, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ChangePassword_UnknownOrInactiveUser_FailsWithNotFound()
    {
        await using var host = await SeededAsync();
        await host.ModifyUserAsync(UserId, u => u with { IsActive = false });

        (await host.Change.ChangePasswordAsync(TestSessions.Of("nobody"), InitialPassword, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotFound);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.NotFound);
    }

    [Test]
    public async Task ChangePassword_RepeatedWrongCurrentPassword_LocksAtConfiguredCount()
    {
        await using var host = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 3);

        for (var i = 0; i < 2; i++)
        {
            var wrong = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-" + i, SecondPassword, SecondPassword);
            wrong.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordWrongCurrent);
            wrong.LockedOutUntil.Should().BeNull();
        }

        var third = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-3", SecondPassword, SecondPassword);

        third.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.LockedOut);
        third.LockedOutUntil.Should().Be(Start + TimeSpan.FromMinutes(5));
        host.Events.OfType(SecurityEventType.LockedOut).Should().ContainSingle().Which.Factor.Should().Be(AuthenticationFactor.Password);

        var correctWhileLocked = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword);
        correctWhileLocked.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.LockedOut);
        correctWhileLocked.LockedOutUntil.Should().Be(Start + TimeSpan.FromMinutes(5));
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ChangePassword_AfterLockDurationEnds_WorksAgain()
    {
        await using var host = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-1", SecondPassword, SecondPassword);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-2", SecondPassword, SecondPassword);

        host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).HasError(SecurityErrorCodes.LockedOut).Should().BeTrue();
        host.Time.Advance(TimeSpan.FromSeconds(2));

        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword);

        result.Succeeded.Should().BeTrue(result.ToString());
        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(0);
    }

    [Test]
    public async Task ChangePassword_SecondLock_LastsLongerThanTheFirst()
    {
        await using var host = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-1", SecondPassword, SecondPassword);
        var first = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-2", SecondPassword, SecondPassword);
        host.Time.Advance(TimeSpan.FromMinutes(6));
        var relockStart = host.Time.GetUtcNow();

        var notYet = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-3", SecondPassword, SecondPassword);
        var second = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-4", SecondPassword, SecondPassword);

        first.LockedOutUntil.Should().Be(Start + TimeSpan.FromMinutes(5));
        notYet.Errors.Select(e => e.Code).Should().Equal(new[] { SecurityErrorCodes.PasswordWrongCurrent }, "an expired lock starts a fresh count");
        second.LockedOutUntil.Should().Be(relockStart + TimeSpan.FromMinutes(10));
    }

    [Test]
    public async Task ChangePassword_SuccessfulCurrentPasswordCheck_ClearsFailureCount()
    {
        await using var host = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 3);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-1", SecondPassword, SecondPassword);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-2", SecondPassword, SecondPassword);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        var wrong = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-3", ThirdPassword, ThirdPassword);

        wrong.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordWrongCurrent);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1);
    }

    [Test]
    public async Task ChangePassword_CurrentHashAtLowerCost_IsRehashedOnSuccessfulCheck()
    {
        await using var host = await SeededAsync(o => o.Hashing.WorkFactor = 5);
        await host.ModifyUserAsync(UserId, u => u with { PasswordHash = BcryptPasswordHasherTests.HasherAt(4).Hash(InitialPassword).Value });

        // The current password is right but the change fails later (mismatch): the upgrade still happens.
        var result = await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, ThirdPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordMismatch);
        var stored = (await host.UserAsync()).PasswordHash!;
        stored.Should().StartWith("asv1:$2a$05$");
        host.Hasher.Verify(stored, InitialPassword).Should().Be(PasswordVerificationResult.Success);
        host.Events.OfType(SecurityEventType.PasswordRehashed).Should().ContainSingle().Which.UserId.Should().Be(UserId);
    }

    [Test]
    public async Task ChangePassword_CurrentHashAtConfiguredCost_IsNotRehashed()
    {
        await using var host = await SeededAsync();
        var before = (await host.UserAsync()).PasswordHash;

        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, SecondPassword, ThirdPassword);

        (await host.UserAsync()).PasswordHash.Should().Be(before);
        host.Events.OfType(SecurityEventType.PasswordRehashed).Should().BeEmpty();
    }

    [Test]
    public async Task ChangePassword_UnusableNewPassword_ReturnsClearCodeWithoutThrowing()
    {
        await using var host = await SeededAsync();
        var withNul = "Granite\0Meadow-8841";
        var loneSurrogate = "Granite" + '\uD800' + "Meadow-8841";

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, null, null)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordRequired);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, withNul, withNul)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordInvalidCharacters);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, loneSurrogate, loneSurrogate)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordInvalidCharacters);
        var huge = new string('k', 10_000);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, huge, huge)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordTooLong);
    }

    [Test]
    public async Task ChangePassword_ContractPolicySetByOwner_AppliesToTheNextChange()
    {
        await using var host = await SeededAsync();
        const string noDigits = "Granite!Meadow-Quartz";
        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), PasswordPolicySettings.Default with { MinimumDigits = 1 })).Succeeded.Should().BeTrue();

        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, noDigits, noDigits)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordRequiresDigit);

        (await host.Policies.SetPolicyAsync(await TestSessions.FreshAsync(host.Services, OwnerId), null)).Succeeded.Should().BeTrue();
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), InitialPassword, noDigits, noDigits)).Succeeded.Should().BeTrue();
    }
}
