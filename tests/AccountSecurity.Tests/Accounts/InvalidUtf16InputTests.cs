using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.SupportPin;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Accounts;

/// <summary>
/// Invalid UTF-16 (a lone surrogate) in an e-mail address or id must be answered like any other unknown account,
/// never reach a store: PostgreSQL's driver encodes parameters with a strict UTF-8 encoder and throws on it.
/// Strings are built in code, since attribute strings turn lone surrogates into U+FFFD.
/// </summary>
public sealed class InvalidUtf16InputTests
{
    private static readonly string LoneSurrogateEmail = "ursula" + '\uD800' + "@example.com";
    private static readonly string LoneSurrogateId = "user-" + '\uDC00';

    [Test]
    public void IsPlausible_EmailWithLoneSurrogate_IsFalse()
    {
        EmailAddress.IsPlausible(LoneSurrogateEmail).Should().BeFalse();
        EmailAddress.IsPlausible("ursula" + '\uD83D' + '\uDE00' + "@example.com").Should().BeTrue("a surrogate pair is valid text");
    }

    [Test]
    public async Task SignIn_EmailWithLoneSurrogate_AnswersInvalidCredentialsWithoutTouchingTheStore()
    {
        await using var host = await StrictHostAsync();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(LoneSurrogateEmail, TestHost.InitialPassword);

        result.Status.Should().Be(SignInStatus.Failed);
        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
    }

    [Test]
    public async Task Reset_EmailWithLoneSurrogate_IsRefusedAsInvalidInputAndInvalidToken()
    {
        await using var host = await StrictHostAsync();

        (await host.Reset.RequestResetAsync(LoneSurrogateEmail)).HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
        (await host.Reset.ResetPasswordAsync(LoneSurrogateEmail, "token", TestHost.SecondPassword, TestHost.SecondPassword))
            .HasError(SecurityErrorCodes.ResetTokenInvalid).Should().BeTrue();
    }

    [Test]
    public async Task SupportPinVerification_AccountOrAgentWithLoneSurrogate_AnswersWithoutTouchingTheStore()
    {
        await using var host = await StrictHostAsync();
        var pins = host.Get<ISupportPinService>();

        (await pins.VerifyByEmailAsync(TestHost.AdminId, LoneSurrogateEmail, "483920")).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        (await pins.VerifyByUserIdAsync(TestHost.AdminId, LoneSurrogateId, "483920")).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        (await pins.VerifyByUserIdAsync("agent-" + '\uD800', TestHost.UserId, "483920")).Outcome.Should().Be(SupportPinVerificationOutcome.InvalidInput);
    }

    [Test]
    public async Task Provisioning_IdOrNameWithLoneSurrogate_IsInvalidInput()
    {
        await using var host = await StrictHostAsync();

        (await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = LoneSurrogateId, Email = "new@example.com", Role = UserRole.User, InitialPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
        (await host.Provisioning.CreateUserAsync(TestHost.OwnerId, new NewUser { UserId = "new-user", Email = LoneSurrogateEmail, Role = UserRole.User, InitialPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
        (await host.Provisioning.CreateContractAsync(new NewContract { ContractId = "contract-2", ContractName = "Name " + '\uD800', OwnerUserId = "owner-2", OwnerEmail = "owner2@example.com", OwnerPassword = TestHost.SecondPassword }))
            .HasError(SecurityErrorCodes.InvalidInput).Should().BeTrue();
    }

    private static async Task<TestHost> StrictHostAsync()
    {
        var host = TestHost.Create(services: s =>
        {
            s.AddSingleton(new StrictUtf8UserStore(new InMemoryUserStore()));
            s.AddSingleton<IUserStore>(p => p.GetRequiredService<StrictUtf8UserStore>());
        });
        await host.SeedContractAsync();
        return host;
    }

    /// <summary>A store that encodes every string it is given as PostgreSQL's driver does: strict UTF-8, throwing on invalid text.</summary>
    private sealed class StrictUtf8UserStore(IUserStore inner) : IUserStore
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
            inner.FindByIdAsync(Encoded(userId), cancellationToken);

        public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

        public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
            inner.FindByEmailAsync(Encoded(email), cancellationToken);

        public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) =>
            inner.ListByContractAsync(Encoded(contractId), cancellationToken);

        public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) =>
            inner.CreateAsync(user with { Id = Encoded(user.Id), Email = Encoded(user.Email) }, cancellationToken);

        public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken) =>
            inner.UpdateAsync(user with { Id = Encoded(user.Id), Email = Encoded(user.Email) }, cancellationToken);

        private static string Encoded(string value)
        {
            _ = Strict.GetByteCount(value);
            return value;
        }
    }
}
