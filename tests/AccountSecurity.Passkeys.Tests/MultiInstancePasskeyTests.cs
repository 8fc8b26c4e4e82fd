using System.Security.Cryptography;
using AccountSecurity.Accounts;
using AccountSecurity.EntityFrameworkCore;
using AccountSecurity.Lockout;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AccountSecurity.Passkeys.Tests;

/// <summary>
/// Two app instances (service providers with their own DbContexts) on one PostgreSQL database, sharing only the clock
/// and the secret-protection key, as two servers behind a load balancer: a passkey assertion is accepted once whichever
/// instances it is presented to, because the challenge and the ticket are spent in the database, never in memory.
/// </summary>
public sealed class MultiInstancePasskeyTests
{
    private const string RequireVariable = "ACCOUNTSECURITY_REQUIRE_SERVICES";

    private PostgresDatabase? _database;
    private ServiceProvider _a = null!;
    private ServiceProvider _b = null!;
    private SoftwareAuthenticator _authenticator = null!;

    /// <summary>A fresh database, instances A and B on it, and alice with one passkey registered through A.</summary>
    [SetUp]
    public async Task StartAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        (_a, _b) = Instances(_database);
        _authenticator = new SoftwareAuthenticator(PasskeyHost.Origin);
        await SeedWithPasskeyAsync(_a, _authenticator);
    }

    // Runs after an ignored set-up too (PostgreSQL not configured), when nothing was started.
    [TearDown]
    public async Task StopAsync()
    {
        _authenticator?.Dispose();
        if (_database is not null)
        {
            await _a.DisposeAsync();
            await _b.DisposeAsync();
            await _database.DisposeAsync();
            _database = null;
        }
    }

    [Test]
    public async Task One_second_factor_assertion_presented_to_two_instances_at_once_signs_in_once()
    {
        var (a, b, authenticator) = (_a, _b, _authenticator);

        var ticket = (await Run<ISignInService, SignInResult>(a, s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password))).Ticket!;
        var ceremony = (await Run<IPasskeyService, Results.SecurityResult<PasskeyCeremony>>(b, p => p.BeginSecondFactorAsync(ticket))).Value!;
        var assertion = authenticator.CreateAssertionJson(ceremony.OptionsJson);

        var results = await RaceAsync(p => p.SecondFactorSignInAsync(ticket, ceremony.State, assertion));

        results.Count(r => r.Status == SignInStatus.Succeeded).Should().Be(1, string.Join(", ", results.Select(r => r.ErrorCode ?? "ok")));
        var stored = await Run<IUserStore, UserAccount?>(b, s => s.FindByIdAsync(PasskeyHost.AliceId, CancellationToken.None));
        stored!.PendingSignIns.Should().BeEmpty("the one success spent the ticket");
        stored.Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(0, "the others presented a right assertion: refunded, never failures");
    }

    [Test]
    public async Task One_passwordless_assertion_presented_to_two_instances_at_once_signs_in_once()
    {
        var (a, b, authenticator) = (_a, _b, _authenticator);
        var owner = await TestSessions.FreshAsync(b, PasskeyHost.OwnerId);
        (await Run<IPasskeyService, Results.SecurityResult>(b, p => p.SetPasswordlessSignInAllowedAsync(owner, true))).Succeeded.Should().BeTrue();

        var ceremony = (await Run<IPasskeyService, Results.SecurityResult<PasskeyCeremony>>(a, p => p.BeginPasswordlessAsync())).Value!;
        var assertion = authenticator.CreateAssertionJson(ceremony.OptionsJson);
        var results = await RaceAsync(p => p.PasswordlessSignInAsync(ceremony.State, assertion));

        results.Count(r => r.Status == SignInStatus.Succeeded).Should().Be(1, string.Join(", ", results.Select(r => r.ErrorCode ?? "ok")));
        var stored = await Run<IUserStore, UserAccount?>(a, s => s.FindByIdAsync(PasskeyHost.AliceId, CancellationToken.None));
        stored!.SpentPasskeyChallenges.Should().ContainSingle();
        stored.Passkeys.Single().SignatureCounter.Should().Be(authenticator.Counter);

        // Presented once more, after the success, to the other instance: a replay, refunded on state read fresh from the
        // database (a refund that compared records, whose arrays are new on every read, would count it as a failure).
        var replayed = await Run<IPasskeyService, SignInResult>(b, p => p.PasswordlessSignInAsync(ceremony.State, assertion));
        replayed.ErrorCode.Should().Be(SecurityErrorCodes.PasskeyChallengeReplayed);
        var after = await Run<IUserStore, UserAccount?>(a, s => s.FindByIdAsync(PasskeyHost.AliceId, CancellationToken.None));
        after!.Lockouts.Get(AuthenticationFactor.SecondFactor).FailedCount.Should().Be(0, "a replay of a right assertion is never a failure");
    }

    [Test]
    public async Task A_credential_alice_holds_is_refused_to_bob_on_the_other_instance_and_a_race_of_two_accounts_registers_it_once()
    {
        var (a, b, authenticator) = (_a, _b, _authenticator);
        (await Run<IAccountProvisioningService, Results.SecurityResult<UserSummary>>(a, p => p.CreateUserAsync(PasskeyHost.OwnerId, new NewUser { UserId = "bob", Email = "bob@example.com", Role = UserRole.User, InitialPassword = PasskeyHost.Password }))).Succeeded.Should().BeTrue();
        (await Run<IAccountProvisioningService, Results.SecurityResult<UserSummary>>(a, p => p.CreateUserAsync(PasskeyHost.OwnerId, new NewUser { UserId = "carol", Email = "carol@example.com", Role = UserRole.User, InitialPassword = PasskeyHost.Password }))).Succeeded.Should().BeTrue();

        var refused = await RegisterOnAsync(b, "bob@example.com", authenticator);
        refused.Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyAlreadyRegistered);
        (await Run<IUserStore, UserAccount?>(b, s => s.FindByIdAsync("bob", CancellationToken.None)))!.Passkeys.Should().BeEmpty();

        // A new credential, registered by bob through A and carol through B at the same moment: the database decides.
        using var shared = new SoftwareAuthenticator(PasskeyHost.Origin);
        var ceremonies = new List<(ServiceProvider Instance, AuthenticatedSession Session, string Json)>();
        foreach (var (instance, email) in new[] { (a, "bob@example.com"), (b, "carol@example.com") })
        {
            var session = (await Run<ISignInService, SignInResult>(instance, s => s.PasswordSignInAsync(email, PasskeyHost.Password))).Session!;
            var begun = await Run<IPasskeyService, Results.SecurityResult<PasskeyCeremony>>(instance, p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
            ceremonies.Add((instance, session, shared.CreateAttestationJson(begun.Value!.OptionsJson)));
        }

        var results = await Task.WhenAll(ceremonies.Select(c => Task.Run(() => Run<IPasskeyService, Results.SecurityResult<PasskeyChanged>>(c.Instance, p => p.CompleteRegistrationAsync(c.Session, c.Json, "Shared")))));

        results.Count(r => r.Succeeded).Should().Be(1, string.Join(", ", results.Select(r => r.Succeeded ? "ok" : r.Errors[0].Code)));
        results.Single(r => !r.Succeeded).Errors.Should().ContainSingle().Which.Code.Should().Be(SecurityErrorCodes.PasskeyAlreadyRegistered);
    }

    private static async Task<Results.SecurityResult<PasskeyChanged>> RegisterOnAsync(ServiceProvider instance, string email, SoftwareAuthenticator authenticator)
    {
        var session = (await Run<ISignInService, SignInResult>(instance, s => s.PasswordSignInAsync(email, PasskeyHost.Password))).Session!;
        var begun = await Run<IPasskeyService, Results.SecurityResult<PasskeyCeremony>>(instance, p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
        return await Run<IPasskeyService, Results.SecurityResult<PasskeyChanged>>(instance, p => p.CompleteRegistrationAsync(session, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Key"));
    }

    /// <summary>Ten presentations at once, alternating instances A and B.</summary>
    private Task<SignInResult[]> RaceAsync(Func<IPasskeyService, ValueTask<SignInResult>> present) =>
        Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => Run(i % 2 == 0 ? _a : _b, present))));

    private static async Task SeedWithPasskeyAsync(ServiceProvider instance, SoftwareAuthenticator authenticator)
    {
        await using (var scope = instance.CreateAsyncScope())
        {
            await AccountSecurityDatabase.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<AccountSecurityDbContext>());
            var provisioning = scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>();
            (await provisioning.CreateContractAsync(new NewContract { ContractId = "c1", ContractName = "Contract One", OwnerUserId = PasskeyHost.OwnerId, OwnerEmail = PasskeyHost.OwnerEmail, OwnerPassword = PasskeyHost.Password })).Succeeded.Should().BeTrue();
            (await provisioning.CreateUserAsync(PasskeyHost.OwnerId, new NewUser { UserId = PasskeyHost.AliceId, Email = PasskeyHost.AliceEmail, Role = UserRole.User, InitialPassword = PasskeyHost.Password })).Succeeded.Should().BeTrue();
        }

        var session = (await Run<ISignInService, SignInResult>(instance, s => s.PasswordSignInAsync(PasskeyHost.AliceEmail, PasskeyHost.Password))).Session!;
        var begun = await Run<IPasskeyService, Results.SecurityResult<PasskeyCeremony>>(instance, p => p.BeginRegistrationAsync(session, PasskeyHost.Password));
        var completed = await Run<IPasskeyService, Results.SecurityResult<PasskeyChanged>>(instance, p => p.CompleteRegistrationAsync(session, authenticator.CreateAttestationJson(begun.Value!.OptionsJson), "Key"));
        completed.Succeeded.Should().BeTrue(completed.ToString());
    }

    private static (ServiceProvider A, ServiceProvider B) Instances(PostgresDatabase database)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var key = RandomNumberGenerator.GetBytes(32);
        ServiceProvider Build()
        {
            var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time);
            services.AddAccountSecurity(o =>
                {
                    AccountSecurityTestOptions.ApplyFastTestDefaults(o);
                    o.SecretProtection.AddKey("shared", key);
                })
                .UseEntityFrameworkCore(db => db.UseNpgsql(database.ConnectionString))
                .AddPasskeys(o =>
                {
                    o.RelyingPartyId = "localhost";
                    o.Origins.Add(PasskeyHost.Origin);
                });
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        }

        return (Build(), Build());
    }

    private static async Task<TResult> Run<TService, TResult>(ServiceProvider instance, Func<TService, ValueTask<TResult>> call)
        where TService : notnull
    {
        await using var scope = instance.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A fresh database on the configured server, dropped afterwards; ignored (failed in CI) when none is configured.</summary>
    internal sealed class PostgresDatabase : IAsyncDisposable
    {
        private readonly string _admin;
        private readonly string _name = "accountsecurity_passkeys_" + Guid.NewGuid().ToString("N");

        private PostgresDatabase(string configured)
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(configured) { Database = _name }.ConnectionString;
            _admin = new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString;
        }

        public string ConnectionString { get; }

        public static async Task<PostgresDatabase> CreateAsync()
        {
            var configured = Environment.GetEnvironmentVariable("ACCOUNTSECURITY_POSTGRES");
            if (string.IsNullOrWhiteSpace(configured))
            {
                const string reason = "PostgreSQL not configured: set ACCOUNTSECURITY_POSTGRES (start a local server with .ci/postgres.sh).";
                if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
                {
                    Assert.Fail(reason + $" ({RequireVariable}=1, so this is a failure.)");
                }

                Assert.Ignore(reason);
            }

            var database = new PostgresDatabase(configured!);
            await using var connection = new NpgsqlConnection(database._admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database._name}\"", connection);
            await command.ExecuteNonQueryAsync();
            return database;
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
