using AccountSecurity.Accounts;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Passwords;

public sealed class PasswordVerifierRaceTests
{
    [Test]
    public async Task PasswordSignIn_UserDeactivatedWhileThePasswordIsCompared_DoesNotSucceed()
    {
        var store = new DeactivatingUserStore(new InMemoryUserStore());
        await using var host = TestHost.Create(services: s => s.AddSingleton<IUserStore>(store));
        await host.SeedContractAsync();

        // An administrator deactivates the user right after the attempt was reserved, before the success write.
        store.DeactivateAfterNextWriteOf = TestHost.UserId;
        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, TestHost.InitialPassword);

        (await host.UserAsync()).IsActive.Should().BeFalse("the race really happened");
        result.Status.Should().Be(SignInStatus.Failed);
        result.Session.Should().BeNull();
        result.ErrorCode.Should().Be(SecurityErrorCodes.InvalidCredentials);
    }

    /// <summary>Plays a concurrent administrator: after the next successful write of a user, deactivates that user.</summary>
    private sealed class DeactivatingUserStore(IUserStore inner) : IUserStore
    {
        public string? DeactivateAfterNextWriteOf { get; set; }

        public ValueTask<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindByIdAsync(userId, cancellationToken);

        public ValueTask<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) => inner.FindByEmailAsync(email, cancellationToken);

        public ValueTask<UserAccount?> FindByPasskeyUserHandleAsync(string userHandle, CancellationToken cancellationToken) => inner.FindByPasskeyUserHandleAsync(userHandle, cancellationToken);

        public ValueTask<IReadOnlyList<UserAccount>> ListByContractAsync(string contractId, CancellationToken cancellationToken) => inner.ListByContractAsync(contractId, cancellationToken);

        public ValueTask<StoreWriteResult> CreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.CreateAsync(user, cancellationToken);

        public async ValueTask<StoreWriteResult> UpdateAsync(UserAccount user, CancellationToken cancellationToken)
        {
            var written = await inner.UpdateAsync(user, cancellationToken);
            if (written == StoreWriteResult.Success && DeactivateAfterNextWriteOf == user.Id)
            {
                DeactivateAfterNextWriteOf = null;
                var stored = (await inner.FindByIdAsync(user.Id, cancellationToken))!;
                (await inner.UpdateAsync(stored with { IsActive = false }, cancellationToken)).Should().Be(StoreWriteResult.Success);
            }

            return written;
        }
    }
}
