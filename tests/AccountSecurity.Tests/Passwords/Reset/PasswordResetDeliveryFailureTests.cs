using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.Passwords.Reset;

public sealed class PasswordResetDeliveryFailureTests
{
    [Test]
    public async Task RequestReset_WhenTheSenderThrows_AnswersAsForAnUnknownAddress_AndLogsNoToken()
    {
        var logs = new CollectingLoggerProvider();
        var sender = new ThrowingSender();
        await using var provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<IPasswordResetTokenSender>(sender)
            .AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .Services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "c1", ContractName = "Contract", OwnerUserId = "owner", OwnerEmail = "owner@example.com", OwnerPassword = "correct horse battery staple" });
        created.Succeeded.Should().BeTrue();
        var resets = scope.ServiceProvider.GetRequiredService<PasswordResetService>();

        var known = await resets.RequestResetAsync("owner@example.com");
        var unknown = await resets.RequestResetAsync("nobody@example.com");
        await resets.WhenBackgroundWorkIdleAsync();

        sender.Attempts.Should().Be(1, "the known account's token was handed to the sender");
        known.Succeeded.Should().BeTrue();
        known.Errors.Should().BeEquivalentTo(unknown.Errors);
        logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.Contains("owner", StringComparison.Ordinal));
        logs.Entries.Should().NotContain(e => e.Message.Contains(sender.LastToken!, StringComparison.Ordinal));
    }

    private sealed class ThrowingSender : IPasswordResetTokenSender
    {
        public int Attempts { get; private set; }

        public string? LastToken { get; private set; }

        public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
        {
            Attempts++;
            LastToken = message.Token;
            throw new InvalidOperationException("mail queue unavailable");
        }
    }
}
