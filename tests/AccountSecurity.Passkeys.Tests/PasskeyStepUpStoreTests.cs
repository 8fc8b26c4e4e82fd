using AccountSecurity.DependencyInjection;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Passkeys.Tests;

/// <summary>
/// The passkey operations under the step-up rule — refused when stale, accepted within the window, refused from the
/// instant it closes — on every store: memory, SQLite and PostgreSQL. The sessions here are held in the host's token, so
/// the gate reads the account (stamp, factors) from the store and the times from the session; the server-side record's
/// part runs in the core's sensitive-operation suite on the same three stores.
/// </summary>
[TestFixture("memory")]
[TestFixture("SQLite")]
[TestFixture("PostgreSQL")]
public sealed class PasskeyStepUpStoreTests(string store)
{
    private static readonly TimeSpan Window = new ReauthenticationOptions().Window;
    private SqliteConnection? _sqlite;
    private MultiInstancePasskeyTests.PostgresDatabase? _postgres;

    [TearDown]
    public async Task CleanUpAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [TestCase(SensitiveOperation.AddPasskey)]
    [TestCase(SensitiveOperation.RemovePasskey)]
    [TestCase(SensitiveOperation.ChangePasswordlessSignInPolicy)]
    public async Task Each_passkey_operation_is_refused_when_stale_accepted_within_the_window_and_refused_when_it_closes(SensitiveOperation operation)
    {
        await using var host = await StartHostAsync();
        using var first = new SoftwareAuthenticator(PasskeyHost.Origin);
        using var second = new SoftwareAuthenticator(PasskeyHost.Origin);
        var owner = operation == SensitiveOperation.ChangePasswordlessSignInPolicy;
        AuthenticatedSession session;
        if (owner)
        {
            session = await host.PasswordSessionAsync(PasskeyHost.OwnerEmail);
        }
        else
        {
            // Alice signs in with her password, registers a passkey, then (signed in with it) a second one.
            var withFirst = await host.RegisterAsync(await host.PasswordSessionAsync(PasskeyHost.AliceEmail), first);
            session = await host.RegisterAsync(withFirst with { Methods = [AuthenticationMethods.Password, AuthenticationMethods.HardwareKey, AuthenticationMethods.MultiFactor] }, second, "Phone");
        }

        Task<SecurityResult> Perform() => operation switch
        {
            SensitiveOperation.AddPasskey => host.Passkeys<SecurityResult>(async p => await p.BeginRegistrationAsync(session, null)),
            SensitiveOperation.RemovePasskey => host.Passkeys<SecurityResult>(async p => await p.RemoveAsync(session, second.CredentialIdBase64Url, null)),
            _ => host.Passkeys<SecurityResult>(async p => await p.SetPasswordlessSignInAllowedAsync(session, true)),
        };

        host.Time.Advance(Window + TimeSpan.FromSeconds(1));
        (await Perform()).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired, "stale");

        var reauthenticated = owner
            ? await host.Call<IReauthenticationService, SecurityResult<Reauthenticated>>(r => r.ReauthenticateAsync(session, PasskeyHost.Password))
            : await PasskeyReauthenticationTests.ReauthenticateWithPasskeyAsync(host, session, first);
        reauthenticated.Succeeded.Should().BeTrue(reauthenticated.ToString());
        session = reauthenticated.Value!.Session;

        host.Time.Advance(Window - TimeSpan.FromSeconds(1));
        var within = await Perform();
        within.Succeeded.Should().BeTrue("one second before the window closes: {0}", within);
        session = session with { SecurityStamp = (await host.UserAsync(session.UserId)).SecurityStamp }; // a removal renews the stamp

        host.Time.Advance(TimeSpan.FromSeconds(1));
        (await Perform()).ErrorCode.Should().Be(SecurityErrorCodes.ReauthenticationRequired, "the window closed");
    }

    private async Task<PasskeyHost> StartHostAsync()
    {
        Action<DbContextOptionsBuilder>? configure = null;
        if (store == "SQLite")
        {
            _sqlite = new SqliteConnection($"Data Source=passkeys-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
            await _sqlite.OpenAsync(); // keeps the in-memory database alive for the test
            var connectionString = _sqlite.ConnectionString;
            configure = db => db.UseSqlite(connectionString);
        }
        else if (store == "PostgreSQL")
        {
            _postgres = await MultiInstancePasskeyTests.PostgresDatabase.CreateAsync();
            var connectionString = _postgres.ConnectionString;
            configure = db => db.UseNpgsql(connectionString);
        }

        if (configure is null)
        {
            return await PasskeyHost.StartAsync();
        }

        return await PasskeyHost.StartAsync(
            services => new AccountSecurityBuilder(services).UseEntityFrameworkCore(configure),
            sp => AccountSecurityDatabase.EnsureCreatedAsync(sp.GetRequiredService<AccountSecurityDbContext>()));
    }
}
