using System.Collections.Concurrent;
using System.Globalization;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;
using AccountSecurity.Tests.Hardening.Passwords;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Tests.Passwords.Hashing;

/// <summary>
/// Issue 23, finding 2: a stored (imported) hash may cost at most what a sign-in can afford, the configured work factor
/// plus two by default. One above it is refused with <see cref="SecurityErrorCodes.StoredHashCostTooHigh"/> for the
/// operator and the ordinary wrong-password answer for the user, and its bcrypt never runs: counted through the bcrypt
/// seam (a primitive that records the cost of every computation it is asked for), never timed.
/// </summary>
public sealed class StoredHashCostLimitTests
{
    private const string Password = TestHost.InitialPassword;
    private const string Pin = "480213";

    /// <summary>A syntactically valid <c>$2b$16$</c> hash: nothing computed it, and nothing may compute it (29 s here).</summary>
    private const string Cost16Hash = "$2b$16$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";

    [Test]
    public async Task SignIn_StoredCost16Hash_IsRefusedWithoutComputingIt_LoggedWithTheCode_AndAnsweredAsAWrongPassword()
    {
        var counter = new CountingBcrypt();
        await using var host = CountingBcrypt.Host(counter);
        await host.SeedContractAsync();
        await host.ModifyUserAsync(TestHost.UserId, u => u with { PasswordHash = Cost16Hash });
        var wrongPassword = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.AdminEmail, "not-the-admins-password-1");
        counter.Clear();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, Password);

        counter.Verifications.Should().NotBeEmpty("the answer still costs what a wrong password costs")
            .And.OnlyContain(c => c.Cost == 4, "only the dummy at the configured work factor runs, never the stored hash's cost 16");
        result.Should().BeEquivalentTo(wrongPassword, "the user learns nothing beyond a wrong password");
        (await host.UserAsync(TestHost.UserId)).Lockouts[AuthenticationFactor.Password].FailedCount.Should().Be(1, "counted exactly like a wrong password");
        var logged = host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 104).Subject;
        logged.Message.Should().Contain(SecurityErrorCodes.StoredHashCostTooHigh).And.Contain(TestHost.UserId).And.Contain("Import hashes at a cost no higher than the maximum")
            .And.NotContain("$2b$16$").And.NotContain(Password);
        host.Logs.Entries.Should().NotContain(e => e.EventId.Id == 100, "not reported as a malformed hash");
    }

    [Test]
    public void Verify_DefaultSettings_AcceptTheWorkFactorPlusTwo_AndRefuseOneMoreWithoutComputingIt()
    {
        var recorder = new RecordingBcrypt();
        var hasher = new BcryptPasswordHasher(Options.Create(new AccountSecurityOptions()), recorder);

        var atPlusTwo = hasher.Verify(CostHash(14), Password);
        var computedAtPlusTwo = recorder.TakeCosts();
        var atPlusThree = hasher.Verify(CostHash(15), Password);
        var computedAtPlusThree = recorder.TakeCosts();

        atPlusTwo.Should().Be(PasswordVerificationResult.Failed, "a cost-14 hash is checked (the recorder matches nothing)");
        computedAtPlusTwo.Should().Equal([14], "checked at its own cost");
        atPlusThree.Should().Be(PasswordVerificationResult.HashCostTooHigh);
        computedAtPlusThree.Should().Equal([12], "only the dummy at the configured work factor ran");
    }

    [Test]
    public void Verify_Cost16Hash_IsHashCostTooHigh_ForEveryScheme_AndForAnUnusablePassword()
    {
        var counter = new CountingBcrypt();
        var hasher = new BcryptPasswordHasher(Options.Create(AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions())), counter);

        hasher.Verify(Cost16Hash, Password).Should().Be(PasswordVerificationResult.HashCostTooHigh);
        hasher.Verify(BcryptPasswordHasher.CurrentSchemeMarker + Cost16Hash, Password).Should().Be(PasswordVerificationResult.HashCostTooHigh);
        hasher.Verify(Cost16Hash, "").Should().Be(PasswordVerificationResult.HashCostTooHigh);
        counter.Calls.Should().OnlyContain(c => c.Cost == 4);
    }

    [Test]
    public async Task SignIn_ImportedHashAtTheWorkFactorPlusTwo_SignsInAndIsRehashed_WhileOneAboveIsRefused()
    {
        var counter = new CountingBcrypt();
        await using var host = CountingBcrypt.Host(counter);
        await host.SeedContractAsync();
        await host.ModifyUserAsync(TestHost.UserId, u => u with { PasswordHash = BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(6, 'b')) });
        await host.ModifyUserAsync(TestHost.AdminId, u => u with { PasswordHash = BCryptNet.HashPassword(Password, BCryptNet.GenerateSalt(7, 'b')) });
        counter.Clear();

        var atPlusTwo = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, Password);
        var atPlusThree = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.AdminEmail, Password);

        atPlusTwo.Status.Should().Be(SignInStatus.Succeeded, "work factor 4 + 2 = 6 is affordable");
        (await host.UserAsync(TestHost.UserId)).PasswordHash.Should().StartWith(BcryptPasswordHasher.CurrentSchemeMarker + "$2a$04$", "rehashed at the configured cost");
        atPlusThree.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        counter.Verifications.Should().NotContain(c => c.Cost == 7, "the cost-7 hash is never computed");
    }

    [Test]
    public async Task SupportPin_StoredPinHashAtCost16_IsRefusedWithoutComputingIt_LoggedWithTheCode_AndAnsweredAsAWrongPin()
    {
        var counter = new CountingBcrypt();
        await using var host = TestHost.Create(services: s => s.AddSingleton<ISupportPinHasher>(sp =>
            new BcryptSupportPinHasher(sp.GetRequiredService<IOptions<AccountSecurityOptions>>(), counter)));
        await host.SeedContractAsync();
        (await host.Get<ISupportPinService>().SetPinAsync(TestSessions.Of(TestHost.UserId), Password, Pin, Pin)).Succeeded.Should().BeTrue();
        await host.ModifyUserAsync(TestHost.UserId, u => u with { SupportPinHash = BcryptSupportPinHasher.PlainMarker + Cost16Hash });
        counter.Clear();

        var result = await host.Get<ISupportPinService>().VerifyByUserIdAsync(TestHost.OwnerId, TestHost.UserId, Pin);

        result.Succeeded.Should().BeFalse();
        result.ErrorCode.Should().Be(SecurityErrorCodes.SupportPinWrong, "the agent sees a wrong PIN, nothing else");
        counter.Verifications.Should().NotContain(c => c.Cost > 4, "the stored hash's cost 16 never runs");
        var logged = host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 303).Subject;
        logged.Message.Should().Contain(SecurityErrorCodes.StoredHashCostTooHigh).And.Contain(TestHost.UserId).And.NotContain("$2b$16$");
        host.Logs.Entries.Should().NotContain(e => e.EventId.Id == 300, "not reported as a malformed hash");
    }

    [Test]
    public void OptionsValidation_DefaultMaximum_IsTheWorkFactorPlusTwo_SoAPinWorkFactorAboveItFailsStartUp()
    {
        var options = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        options.Hashing.WorkFactor = 12;
        options.SupportPin.WorkFactor = 15;

        var result = new AccountSecurityOptionsValidator().Validate(null, options);

        result.Succeeded.Should().BeFalse("PIN hashes at 15 would be refused by the default maximum of 12 + 2");
        result.FailureMessage.Should().Contain("Hashing.MaximumWorkFactor");
    }

    /// <summary>A well-formed bcrypt hash at <paramref name="cost"/> that matches nothing (nothing computed it).</summary>
    private static string CostHash(int cost) => "$2b$" + cost.ToString("00", CultureInfo.InvariantCulture) + "$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";

    /// <summary>Computes nothing: records the cost it was asked to run at, and matches nothing.</summary>
    private sealed class RecordingBcrypt : IBcryptPrimitive
    {
        private readonly ConcurrentQueue<int> _costs = new();

        public int[] TakeCosts()
        {
            var costs = new List<int>();
            while (_costs.TryDequeue(out var cost))
            {
                costs.Add(cost);
            }

            return [.. costs];
        }

        public string HashPassword(string input, int workFactor) => throw new NotSupportedException("nothing is hashed here");

        public bool Verify(string input, string bcryptHash)
        {
            _costs.Enqueue(int.Parse(bcryptHash.AsSpan(4, 2), CultureInfo.InvariantCulture));
            return false;
        }
    }
}
