using AccountSecurity.DependencyInjection;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.WebSample.Tests;

/// <summary>The sample's embedded SQLite file and key file survive a restart: accounts and their 2FA keep working.</summary>
[TestFixture]
public sealed class RestartTests
{
    [Test]
    public async Task TwoFactorSetUpBeforeARestart_StillSignsInAfterIt()
    {
        var database = Path.Combine(Path.GetTempPath(), $"accountsecurity-restart-{Guid.NewGuid():N}.db");
        var (_, email, _, password) = DemoAccounts.Users[2];
        byte[] secret;
        try
        {
            await using (var first = await StartAsync(database))
            {
                await using var scope = first.Services.CreateAsyncScope();
                var twoFactor = scope.ServiceProvider.GetRequiredService<ITwoFactorService>();
                var userId = DemoAccounts.Users[2].Id;
                var setup = await twoFactor.BeginSetupAsync(TestSessions.Of(userId), password);
                secret = Base32Encoding.ToBytes(new Uri(setup.Value.OtpAuthUri).Query.Split("secret=")[1].Split('&')[0]);
                (await twoFactor.ConfirmSetupAsync(userId, new Totp(secret).ComputeTotp())).Succeeded.Should().BeTrue();
                await first.StopAsync();
            }

            await using var second = await StartAsync(database);
            await using var again = second.Services.CreateAsyncScope();
            var signIn = again.ServiceProvider.GetRequiredService<ISignInService>();
            var passwordStep = await signIn.PasswordSignInAsync(email, password);
            passwordStep.Status.Should().Be(SignInStatus.SecondFactorRequired, "the 2FA setting survived the restart");

            // The next step's code, so it is never the one the confirmation already spent.
            var code = new Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(30));
            var completed = await signIn.SecondFactorSignInAsync(passwordStep.Ticket, code);
            completed.Succeeded.Should().BeTrue("the TOTP secret is still readable with the persisted key: " + completed);
            await second.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + ".key", database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Test]
    public async Task GroupsMembersAndGrants_SurviveARestart_AndTheDemoGroupIsNotSeededTwice()
    {
        var database = Path.Combine(Path.GetTempPath(), $"accountsecurity-restart-{Guid.NewGuid():N}.db");
        try
        {
            await using (var first = await StartAsync(database))
            {
                var store = first.Services.GetRequiredService<GroupStore>();
                (await store.CreateAsync(DemoAccounts.ContractId, "Night shift", CancellationToken.None, "grp-night")).Should().Be(GroupChange.Done);
                (await store.AddMemberAsync(DemoAccounts.ContractId, "grp-night", "admin", CancellationToken.None)).Should().Be(GroupChange.Done);
                (await store.GrantAsync(DemoAccounts.ContractId, "grp-night", "snap-db-txl", CancellationToken.None)).Should().Be(GroupChange.Done);
                (await store.RevokeAsync(DemoAccounts.ContractId, DemoAccounts.Group.Id, "dc-txl", CancellationToken.None)).Should().Be(GroupChange.Done);
                await first.StopAsync();
            }

            await using var second = await StartAsync(database);
            var groups = await second.Services.GetRequiredService<GroupStore>().ListAsync(DemoAccounts.ContractId, CancellationToken.None);
            groups.Should().BeEquivalentTo(new[]
            {
                new ConsoleGroup("grp-night", "Night shift", ["admin"], ["snap-db-txl"]),
                new ConsoleGroup(DemoAccounts.Group.Id, DemoAccounts.Group.Name, ["user"], []),
            }, "what was changed stays changed, and the seed does not grant the data center again");
            await second.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + ".key", database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<WebApplication> StartAsync(string database)
    {
        var app = WebSampleApp.Build(["--urls=http://127.0.0.1:0", "--Sample:Database=" + database], services =>
            services.PostConfigure<AccountSecurityOptions>(options =>
            {
                options.Hashing.WorkFactor = 4;
                options.Hashing.AllowInsecureWorkFactorForTesting = true;
            }));
        await app.StartAsync();
        return app;
    }
}
