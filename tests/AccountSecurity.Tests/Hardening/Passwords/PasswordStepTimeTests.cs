using AccountSecurity.Accounts;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Tests.TestSupport;
using AccountSecurity.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 23, finding 10: a wrong password for an existing account writes its count to the store before the compare;
/// the answers that count nothing (an unknown e-mail, a locked password) must take as long, or the write's time tells
/// which e-mails have accounts. The store's write "takes" 40 ms of the fake clock, and the sleeps of the dummy checks
/// are recorded, not slept (issue 8's <see cref="PasswordStepCostTests"/> count the bcrypt side).
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class PasswordStepTimeTests
{
    private static readonly TimeSpan WriteTime = TimeSpan.FromMilliseconds(40);

    private readonly List<TimeSpan> _slept = [];

    [Test]
    public async Task SignIn_WrongPasswordForAnExistingAccount_WritesItsCountAndSleepsNothing()
    {
        await using var host = await SeededAsync();

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, "wrong-password-1");

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        _slept.Should().BeEmpty();
    }

    [Test]
    public async Task SignIn_UnknownEmail_SleepsAsLongAsCountingAWrongPasswordTook()
    {
        await using var host = await SeededAsync();
        var signIn = host.Get<ISignInService>();
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-1");

        var result = await signIn.PasswordSignInAsync("nobody.here@example.com", "wrong-password-1");

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        _slept.Should().Equal(WriteTime);
    }

    [Test]
    public async Task SignIn_InactiveAccount_SleepsAsLongAsCountingAWrongPasswordTook()
    {
        await using var host = await SeededAsync();
        var signIn = host.Get<ISignInService>();
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-1");
        await host.ModifyUserAsync(TestHost.AdminId, u => u with { IsActive = false });

        var result = await signIn.PasswordSignInAsync(TestHost.AdminEmail, "wrong-password-1");

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        _slept.Should().Equal(WriteTime);
    }

    [Test]
    public async Task SignIn_LockedPassword_SleepsAsLongAsCountingAWrongPasswordTook()
    {
        await using var host = await SeededAsync(maxFailedAttempts: 2);
        var signIn = host.Get<ISignInService>();
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-1");
        await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-2");

        // Locked: nothing is written, which without the sleep would answer faster than a wrong guess or an unknown e-mail.
        var result = await signIn.PasswordSignInAsync(TestHost.UserEmail, "wrong-password-3");

        result.Status.Should().Be(SignInStatus.LockedOut);
        _slept.Should().Equal(WriteTime);
    }

    [Test]
    public async Task SignIn_UnknownEmail_BeforeAnyCountWasMeasured_SleepsNothing()
    {
        await using var host = await SeededAsync();

        var result = await host.Get<ISignInService>().PasswordSignInAsync("nobody.here@example.com", "wrong-password-1");

        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
        _slept.Should().BeEmpty();
    }

    private async Task<TestHost> SeededAsync(int maxFailedAttempts = 10)
    {
        var store = new SlowWritesUserStore(new InMemoryUserStore());
        var host = TestHost.Create(
            o => o.Lockout.Password.MaxFailedAttempts = maxFailedAttempts,
            services =>
            {
                services.AddSingleton<IUserStore>(store);
                services.AddSingleton(sp => new CountingTime(sp.GetRequiredService<TimeProvider>(), _slept.Add));
            });
        await host.SeedContractAsync();
        store.OnUpdate = () => host.Time.Advance(WriteTime);
        return host;
    }

    /// <summary>The host's store, whose every update takes <see cref="WriteTime"/> of the fake clock once <see cref="OnUpdate"/> is set.</summary>
    private sealed class SlowWritesUserStore(IUserStore inner) : IUserStore
    {
        public Action? OnUpdate { get; set; }

        public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindByIdAsync(userId, cancellationToken);

        public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) => inner.FindByEmailAsync(email, cancellationToken);

        public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

        public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => inner.ListByContractAsync(contractId, cancellationToken);

        public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.CreateAsync(user, cancellationToken);

        public ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
        {
            OnUpdate?.Invoke();
            return inner.UpdateAsync(user, cancellationToken);
        }
    }
}
