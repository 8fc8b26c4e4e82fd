using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Reset;

/// <summary>Seeds one demo contract when <c>Demo:Password</c> is configured (never a built-in password).</summary>
internal static class Demo
{
    public static async Task SeedAsync(WebApplication app)
    {
        if (app.Configuration["Demo:Password"] is not { Length: > 0 } password)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        _ = await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "demo", ContractName = "Demo", OwnerUserId = "owner", OwnerEmail = app.Configuration["Demo:Email"] ?? "owner@example.com", OwnerPassword = password });
    }
}

/// <summary>Keeps reset mails in memory; a real host sends them (never log the token).</summary>
internal sealed class Outbox : IPasswordResetTokenSender
{
    public List<PasswordResetMessage> Sent { get; } = [];

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Sent.Add(message);
        }

        return ValueTask.CompletedTask;
    }
}
