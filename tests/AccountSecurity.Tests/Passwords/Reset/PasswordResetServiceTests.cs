using System.Collections.Immutable;
using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using static AccountSecurity.Tests.TestSupport.TestHost;

namespace AccountSecurity.Tests.Passwords.Reset;

public sealed class PasswordResetServiceTests
{
    private static async Task<TestHost> SeededAsync(Action<AccountSecurity.DependencyInjection.AccountSecurityOptions>? configure = null)
    {
        // Most tests ask for several tokens in a row; the flood guard has its own tests below.
        var host = Create(o =>
        {
            o.PasswordReset.MinimumIntervalBetweenTokens = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        await host.SeedContractAsync();
        return host;
    }

    private static async Task<string> RequestTokenAsync(TestHost host, string email = UserEmail)
    {
        var count = host.Sender.Messages.Count;
        (await host.Reset.RequestResetAsync(email)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();
        host.Sender.Messages.Should().HaveCount(count + 1);
        return host.Sender.Last.Token;
    }

    [Test]
    public async Task RequestReset_ExistingUnknownAndInactiveEmail_AnswerAlikeAndOnlyExistingGetsToken()
    {
        await using var host = await SeededAsync();
        await host.ModifyUserAsync(AdminId, u => u with { IsActive = false });

        var existing = await host.Reset.RequestResetAsync(UserEmail);
        var unknown = await host.Reset.RequestResetAsync("nobody.here@example.com");
        var inactive = await host.Reset.RequestResetAsync(AdminEmail);
        await host.WaitForResetWorkAsync();

        existing.Succeeded.Should().BeTrue();
        unknown.Succeeded.Should().BeTrue();
        inactive.Succeeded.Should().BeTrue();
        existing.Should().BeEquivalentTo(unknown);
        unknown.Should().BeEquivalentTo(inactive);
        existing.ToString().Should().Be(unknown.ToString()).And.Be(inactive.ToString());
        host.Sender.Messages.Should().ContainSingle().Which.UserId.Should().Be(UserId);
        (await host.UserAsync(AdminId)).PasswordResetTokens.Should().BeEmpty();
    }

    [Test]
    public async Task RequestReset_EmailInAnotherCase_FindsTheAccount()
    {
        await using var host = await SeededAsync();

        await host.Reset.RequestResetAsync(UserEmail.ToUpperInvariant());
        await host.WaitForResetWorkAsync();

        host.Sender.Messages.Should().ContainSingle().Which.Email.Should().Be(UserEmail);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("no-at-sign")]
    [TestCase("two@@example.com")]
    [TestCase("a@b@example.com")]
    [TestCase("@example.com")]
    [TestCase("user@")]
    [TestCase("with space@example.com")]
    [TestCase("control\u0001@example.com")]
    public async Task RequestReset_MalformedEmail_FailsWithInvalidInput(string? email)
    {
        await using var host = await SeededAsync();

        var result = await host.Reset.RequestResetAsync(email);
        await host.WaitForResetWorkAsync();

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.InvalidInput);
        host.Sender.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task RequestReset_OverlongEmail_FailsWithInvalidInput()
    {
        await using var host = await SeededAsync();

        (await host.Reset.RequestResetAsync(new string('a', 300) + "@example.com")).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.InvalidInput);
    }

    [Test]
    public async Task RequestReset_Token_HasAtLeast128BitsAndIsBase64Url()
    {
        await using var host = await SeededAsync();

        var token = await RequestTokenAsync(host);

        token.Should().MatchRegex("^[A-Za-z0-9_-]+$");
        System.Buffers.Text.Base64Url.DecodeFromChars(token).Length.Should().BeGreaterThanOrEqualTo(16);
        (await RequestTokenAsync(host)).Should().NotBe(token);
    }

    [Test]
    public async Task RequestReset_Token_IsStoredOnlyAsHash()
    {
        await using var host = await SeededAsync();

        var token = await RequestTokenAsync(host);

        var user = await host.UserAsync();
        var record = user.PasswordResetTokens.Should().ContainSingle().Subject;
        record.TokenHash.Should().NotContain(token);
        record.ExpiresAt.Should().Be(Start + TimeSpan.FromHours(1));
        host.Sender.Last.ExpiresAt.Should().Be(record.ExpiresAt);
        StoredStrings(user).Should().NotContain(s => s.Contains(token, StringComparison.Ordinal));
        user.ToString().Should().NotContain(token).And.NotContain(record.TokenHash);
        record.ToString().Should().NotContain(record.TokenHash);
    }

    [Test]
    public async Task ResetPassword_ValidToken_SetsNewPasswordAndChangesStamp()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        var before = await host.UserAsync();
        host.Time.Advance(TimeSpan.FromMinutes(10));

        var result = await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword);

        result.Succeeded.Should().BeTrue(result.ToString());
        var after = await host.UserAsync();
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        after.PasswordChangedAt.Should().Be(host.Time.GetUtcNow());
        after.PasswordResetTokens.Should().BeEmpty();
        host.Hasher.Verify(after.PasswordHash, SecondPassword).Should().Be(PasswordVerificationResult.Success);
        host.Hasher.Verify(after.PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Failed);
        host.Events.OfType(SecurityEventType.PasswordResetCompleted).Should().ContainSingle().Which.UserId.Should().Be(UserId);
    }

    [Test]
    public async Task ResetPassword_SameTokenTwice_SecondUseFails()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        var second = await host.Reset.ResetPasswordAsync(UserEmail, token, ThirdPassword, ThirdPassword);

        second.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, SecondPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ResetPassword_At59Minutes_Works()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromMinutes(59));

        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_At61Minutes_FailsAsExpired()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromMinutes(61));

        var result = await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task ResetPassword_ConfiguredLifetime_IsHonoured()
    {
        await using var host = await SeededAsync(o => o.PasswordReset.TokenLifetime = TimeSpan.FromMinutes(15));
        var token = await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromMinutes(16));

        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).HasError(SecurityErrorCodes.ResetTokenInvalid).Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_UsingOneToken_InvalidatesTheOthers()
    {
        await using var host = await SeededAsync();
        var first = await RequestTokenAsync(host);
        var second = await RequestTokenAsync(host);
        (await host.UserAsync()).PasswordResetTokens.Should().HaveCount(2);

        (await host.Reset.ResetPasswordAsync(UserEmail, second, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        (await host.Reset.ResetPasswordAsync(UserEmail, first, ThirdPassword, ThirdPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
    }

    [Test]
    public async Task RequestReset_SoonAfterTheLastToken_AnswersAlikeButSendsNothing_ThenSendsAfterTheInterval()
    {
        await using var host = await SeededAsync(o => o.PasswordReset.MinimumIntervalBetweenTokens = TimeSpan.FromMinutes(1));
        var first = await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(59));

        var soon = await host.Reset.RequestResetAsync(UserEmail);
        await host.WaitForResetWorkAsync();

        soon.Succeeded.Should().BeTrue("the answer never tells whether a mail went out");
        host.Sender.Messages.Should().HaveCount(1);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var second = await RequestTokenAsync(host);
        second.Should().NotBe(first);
        (await host.UserAsync()).PasswordResetTokens.Should().HaveCount(2);
    }

    [Test]
    public async Task RequestReset_BeyondMaxOutstanding_DropsTheOldestToken()
    {
        await using var host = await SeededAsync(o => o.PasswordReset.MaxOutstandingTokens = 2);
        var oldest = await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await RequestTokenAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await RequestTokenAsync(host);

        (await host.UserAsync()).PasswordResetTokens.Should().HaveCount(2);
        (await host.Reset.ResetPasswordAsync(UserEmail, oldest, SecondPassword, SecondPassword)).HasError(SecurityErrorCodes.ResetTokenInvalid).Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_LeavesSecondFactorUntouched()
    {
        await using var host = await SeededAsync();
        var twoFactor = new TwoFactorState
        {
            IsEnabled = true,
            ProtectedSecret = "protected-secret-blob",
            LastAcceptedTimeStep = 12345,
            RecoveryCodeHashes = ["hash-1", "hash-2"],
            EnabledAt = Start - TimeSpan.FromDays(3),
        };
        var secondFactorLockout = new FactorLockoutState(2, null, 1);
        await host.ModifyUserAsync(UserId, u => u with { IsTwoFactorForced = true, TwoFactor = twoFactor, Lockouts = u.Lockouts.With(AuthenticationFactor.SecondFactor, secondFactorLockout) });
        var token = await RequestTokenAsync(host);

        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        var after = await host.UserAsync();
        after.TwoFactor.IsEnabled.Should().BeTrue();
        after.IsTwoFactorForced.Should().BeTrue();
        after.TwoFactor.ProtectedSecret.Should().Be("protected-secret-blob");
        after.TwoFactor.LastAcceptedTimeStep.Should().Be(12345);
        after.TwoFactor.RecoveryCodeHashes.Should().Equal("hash-1", "hash-2");
        after.TwoFactor.EnabledAt.Should().Be(twoFactor.EnabledAt);
        after.Lockouts[AuthenticationFactor.SecondFactor].Should().Be(secondFactorLockout);
    }

    [Test]
    public async Task ResetPassword_ClearsPasswordLockout()
    {
        await using var host = await SeededAsync(o => o.Lockout.Password.MaxFailedAttempts = 2);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-1", SecondPassword, SecondPassword);
        await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), "wrong-password-2", SecondPassword, SecondPassword);
        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].IsLockedAt(host.Time.GetUtcNow()).Should().BeTrue();
        var token = await RequestTokenAsync(host);

        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();

        (await host.UserAsync()).Lockouts[AuthenticationFactor.Password].Should().Be(FactorLockoutState.Clear);
        (await host.Change.ChangePasswordAsync(TestSessions.Of(UserId), SecondPassword, ThirdPassword, ThirdPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_PolicyViolations_ReturnsEveryErrorAndTokenStaysUsable()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);

        var refused = await host.Reset.ResetPasswordAsync(UserEmail, token, "password", "passw0rd");

        refused.Errors.Select(e => e.Code).Should().BeEquivalentTo(SecurityErrorCodes.PasswordMismatch, SecurityErrorCodes.PasswordTooShort, SecurityErrorCodes.PasswordCommon);
        (await host.UserAsync()).PasswordResetTokens.Should().ContainSingle();
        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_ToCurrentPassword_FailsAsReusedAndTokenStaysUsable()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);

        (await host.Reset.ResetPasswordAsync(UserEmail, token, InitialPassword, InitialPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.PasswordReused);
        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_WrongEmailWithRightToken_Fails()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);

        (await host.Reset.ResetPasswordAsync(AdminEmail, token, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
        (await host.Reset.ResetPasswordAsync("nobody.here@example.com", token, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
        host.Hasher.Verify((await host.UserAsync(AdminId)).PasswordHash, InitialPassword).Should().Be(PasswordVerificationResult.Success);
        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ResetPassword_InactiveUserWithValidToken_Fails()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        await host.ModifyUserAsync(UserId, u => u with { IsActive = false });

        (await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
    }

    private static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData(null).SetArgDisplayNames("null");
        yield return new TestCaseData(string.Empty).SetArgDisplayNames("empty");
        yield return new TestCaseData("not-a-token").SetArgDisplayNames("unknown");
        yield return new TestCaseData(new string('A', 10_000)).SetArgDisplayNames("huge");
        yield return new TestCaseData("\0\uD800").SetArgDisplayNames("NUL and lone surrogate");
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task ResetPassword_BadToken_FailsWithResetTokenInvalidWithoutThrowing(string? token)
    {
        await using var host = await SeededAsync();
        await RequestTokenAsync(host);

        var result = await host.Reset.ResetPasswordAsync(UserEmail, token, SecondPassword, SecondPassword);

        result.Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
    }

    [Test]
    public async Task ResetPassword_MalformedEmail_FailsWithResetTokenInvalid()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);

        (await host.Reset.ResetPasswordAsync(null, token, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
        (await host.Reset.ResetPasswordAsync("no-at-sign", token, SecondPassword, SecondPassword)).Errors.Select(e => e.Code).Should().Equal(SecurityErrorCodes.ResetTokenInvalid);
    }

    [Test]
    public async Task ResetPassword_SameTokenFromTwentyParallelRequests_SucceedsExactlyOnce()
    {
        await using var host = await SeededAsync();
        var token = await RequestTokenAsync(host);
        var reset = host.Reset;
        using var gate = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            var password = $"Parallel-Reset-{i:D2}-Quartz";
            return await reset.ResetPasswordAsync(UserEmail, token, password, password);
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.Succeeded).Should().Be(1);
        results.Where(r => !r.Succeeded).Should().OnlyContain(r => r.HasError(SecurityErrorCodes.ResetTokenInvalid));
        var winner = Array.FindIndex(results, r => r.Succeeded);
        host.Hasher.Verify((await host.UserAsync()).PasswordHash, $"Parallel-Reset-{winner:D2}-Quartz").Should().Be(PasswordVerificationResult.Success);
    }

    /// <summary>Every string the store holds for <paramref name="user"/>.</summary>
    private static IEnumerable<string> StoredStrings(UserAccount user)
    {
        IEnumerable<string?> all =
        [
            user.Id, user.ContractId, user.Email, user.PasswordHash, user.SecurityStamp, user.SupportPinHash,
            user.TwoFactor.ProtectedSecret, user.TwoFactor.PendingProtectedSecret, user.ToString(),
            .. user.PasswordHistory, .. user.TwoFactor.RecoveryCodeHashes,
            .. user.PasswordResetTokens.Select(t => t.TokenHash),
        ];
        return all.OfType<string>();
    }

    [Test]
    public void StoredStrings_CoversTokenHashes()
    {
        // Guards the helper above: if it skipped the reset tokens, the "stored only as hash" test would be vacuous.
        var user = new UserAccount
        {
            Id = "u",
            ContractId = "c",
            Email = "e@example.com",
            SecurityStamp = "s",
            PasswordResetTokens = ImmutableArray.Create(new PasswordResetTokenRecord("THE-HASH", Start)),
        };

        StoredStrings(user).Should().Contain("THE-HASH");
    }
}
