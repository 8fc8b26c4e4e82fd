using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;
using AccountSecurity.Passkeys;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Testing;
using AccountSecurity.TwoFactor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.AspNetCore.Tests.Hardening;

/// <summary>
/// Issue 23, finding 11: the hostile-input suite through the JSON API, on SQLite and on PostgreSQL (whose text type
/// cannot hold NUL and whose driver refuses a lone surrogate). Every endpoint of <c>MapAccountSecurityApi</c>'s group
/// (read from the endpoint data source, the passkey package's included) gets each hostile value in each field of its
/// request contract (found by reflection over the JSON contexts), in its route value (percent-encoded, and decoded as
/// a server could deliver it), in its query (endpoints without a body) and as its whole body or content type, from its
/// natural caller (anonymous, a signed-in user, the contract's owner, a pending sign-in; a new account for each request
/// that changes one) with an antiforgery token, and again from the wrong caller. Every answer must be a success the value legitimately earns or
/// a 4xx problem with a <c>code</c>: never a 5xx, a thrown exception or an error log line. Afterwards the seeded users
/// still sign in and their data still reads.
/// </summary>
[TestFixture(TestDatabase.Sqlite)]
[TestFixture(TestDatabase.PostgreSql)]
public sealed partial class ApiHostileInputTests
{
    private const string Prefix = "/account";
    private const string NewPassword = "Garnet-Violet-Summit-88!";
    private const string TargetUserId = "bob";
    private const string TwoFactorUserId = "tina";
    private const string TwoFactorEmail = "tina@example.com";

    private static readonly JsonNode FakeCredential = JsonNode.Parse(
        """{"id":"AAECAwQFBgcICQoLDA0ODw","rawId":"AAECAwQFBgcICQoLDA0ODw","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"},"clientExtensionResults":{}}""")!;

    private readonly string _provider;
    private readonly List<string> _failures = [];
    private readonly Dictionary<int, int> _statuses = [];
    private readonly List<Session> _sessions = [];
    private ApiHost? _host;
    private Dictionary<string, ApiOperation>? _declared;
    private Session? _alice;
    private Session? _owner;
    private Session? _signedIn;
    private SoftwareAuthenticator? _aliceKey;
    private SoftwareAuthenticator? _tinaKey;
    private string _alicePasskeyId = string.Empty;
    private int _freshUsers;
    private int _requests;

    public ApiHostileInputTests(string provider) => _provider = provider;

    private enum Caller
    {
        Anonymous,
        User,
        Owner,
        PendingSecondFactor,
        PendingSetup,
        FreshUser,

        /// <summary>A signed-in user of its own, kept until an answer succeeds (which may have changed its session).</summary>
        SignedIn,
    }

    private enum Expect
    {
        /// <summary>Every hostile value is refused (4xx).</summary>
        Refused,

        /// <summary>Well-formed text without controls (<see cref="HostileText.IsValidText"/>) succeeds and is kept as sent; the rest is refused.</summary>
        Accepts,

        /// <summary>The field is not read here: the answer is the baseline's.</summary>
        AsBaseline,

        /// <summary>Blank or null means "not given" (the baseline's answer); any other hostile value is refused.</summary>
        BlankIsAbsent,
    }

    private ApiHost Host => _host ?? throw new InvalidOperationException("The fixture is not set up.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await ApiHost.StartAsync(
            o =>
            {
                // Limits far above the run, still on: hostile account names go through the limiter's partitions.
                var ample = new AbuseLimit(1_000_000, TimeSpan.FromMinutes(1));
                o.RateLimits.SignInPerClient = o.RateLimits.SignInPerAccount = ample;
                o.RateLimits.PasswordResetPerClient = o.RateLimits.PasswordResetPerAccount = ample;
                o.RateLimits.SupportPinPerClient = o.RateLimits.SupportPinPerAccount = ample;
                o.RateLimits.UserCreationPerClient = o.RateLimits.UserCreationPerAccount = ample;
                o.MapUserCreationEndpoints = true;
            },
            core =>
            {
                core.Registration.Enabled = true;
                // Hundreds of refused secrets per account: the locks stay short, and the clock moves past them between endpoints.
                foreach (var factor in new[] { core.Lockout.Password, core.Lockout.SecondFactor, core.Lockout.SupportPin, core.Lockout.TrustedDevices.Budget })
                {
                    factor.MaxFailedAttempts = 100;
                    factor.BaseLockoutDuration = factor.MaxLockoutDuration = TimeSpan.FromSeconds(1);
                }
            },
            _provider);

        await using (var scope = Host.App.Services.CreateAsyncScope())
        {
            var provisioning = scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>();
            (await provisioning.CreateUserAsync("owner1", new NewUser { UserId = TargetUserId, Email = "bob@example.com", Role = UserRole.User, InitialPassword = ApiHost.Password })).Succeeded.Should().BeTrue();
            (await provisioning.CreateUserAsync("owner1", new NewUser { UserId = TwoFactorUserId, Email = TwoFactorEmail, Role = UserRole.User, InitialPassword = ApiHost.Password })).Succeeded.Should().BeTrue();
        }

        _alice = await SignedInAsync(ApiHost.AliceEmail, "signed_in");
        _aliceKey = new SoftwareAuthenticator("http://localhost");
        var registered = await _alice.SendAsync("POST", Prefix + "/passkeys", Json(await RegistrationBodyAsync(_alice, _aliceKey)));
        registered.Status.Should().Be(200, registered.Text);
        _alicePasskeyId = registered.Json!.Value.GetProperty("credentialId").GetString()!;

        var pin = await _alice.SendAsync("POST", Prefix + "/support-pin", Json(new JsonObject { ["currentPassword"] = ApiHost.Password, ["pin"] = "582914", ["pinRepeated"] = "582914" }));
        pin.Status.Should().Be(200, pin.Text);

        _owner = await SignedInAsync(ApiHost.OwnerEmail, "signed_in");
        var passwordless = await _owner.SendAsync("POST", Prefix + "/policy/passwordless", Json(new JsonObject { ["allowed"] = true }));
        passwordless.Status.Should().Be(204, passwordless.Text);

        TotpCodeGenerator totp;

        // Tina has TOTP and a passkey: her password step leaves a pending second factor, her passkey signs in.
        using (var tinaWithPassword = await SignedInAsync(TwoFactorEmail, "signed_in"))
        {
            totp = await Flows.EnableTwoFactorAsync(Host, tinaWithPassword.Client);
        }

        // A passkey is added from a second-factor session.
        using var tina = new Session(await Flows.SignInWithSecondFactorAsync(Host, totp, TwoFactorEmail));
        _tinaKey = new SoftwareAuthenticator("http://localhost");
        var tinaPasskey = await tina.SendAsync("POST", Prefix + "/passkeys", Json(await RegistrationBodyAsync(tina, _tinaKey)));
        tinaPasskey.Status.Should().Be(200, tinaPasskey.Text);

        TakeLogs("set-up");
        _failures.Should().BeEmpty();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _alice?.Dispose();
        _owner?.Dispose();
        _sessions.ForEach(s => s.Dispose());
        _aliceKey?.Dispose();
        _tinaKey?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [SetUp]
    public void ForgetFailures() => _failures.Clear();

    [Test]
    public async Task JsonBody_WithAnUnknownCharsetOrInvalidUtf8InsideTheCredential_IsA400InvalidInput_AndUtf8WithABomIsRead()
    {
        using var anonymous = new Session(Host.CreateClient());
        var credentials = Json(new JsonObject { ["email"] = ApiHost.OwnerEmail, ["password"] = ApiHost.Password });
        var unknownCharset = await anonymous.SendAsync("POST", Prefix + "/signin", credentials, "application/json; charset=no-such-charset");
        var utf16 = await anonymous.SendAsync("POST", Prefix + "/signin", credentials, "application/json; charset=utf-16");
        var withBom = await anonymous.SendAsync("POST", Prefix + "/signin", [.. Encoding.UTF8.Preamble, .. credentials], "application/json; charset=utf-8");

        // A lone surrogate as raw bytes (ED A0 80) inside the credential object, which the endpoint keeps as a JsonElement.
        var credential = HostileJson.Object([("id", HostileJson.StringLiteral("AAEC\uD800", rawBytes: true)), ("type", HostileJson.StringLiteral("public-key"))]);
        var invalidUtf8 = await _alice!.SendAsync("POST", Prefix + "/passkeys", HostileJson.Object([("credential", credential), ("name", HostileJson.StringLiteral("Laptop"))]));
        TakeLogs("bodies");

        foreach (var answer in new[] { unknownCharset, utf16, invalidUtf8 })
        {
            (answer.Status, answer.Code).Should().Be((400, SecurityErrorCodes.InvalidInput), answer.ToString());
        }

        withBom.Status.Should().Be(200, withBom.ToString());

        _failures.Should().BeEmpty();
    }

    [Test]
    public void EndpointMap_NamesEveryEndpointOfTheGroupAndEveryRequestContract()
    {
        var endpoints = GroupEndpoints();
        var map = Map();
        var mapped = map.Select(s => s.Key).ToList();

        endpoints.Should().HaveCountGreaterThan(30).And.Contain(e => e.StartsWith("POST /passkeys", StringComparison.Ordinal), "the passkey package's endpoints are in the group");
        endpoints.Except(mapped).Should().BeEmpty("every endpoint of the group needs an entry in Map() (its caller and its request contract) to be tested here");
        mapped.Except(endpoints).Should().BeEmpty("Map() names only endpoints that exist");
        mapped.Should().OnlyHaveUniqueItems();
        RequestContracts().Keys.Except(map.Select(s => s.Contract).OfType<string>())
            .Should().BeEmpty("every request contract of the JSON contexts is the body of some endpoint in Map()");
        foreach (var spec in map.Where(s => s.Contract is not null))
        {
            var fields = Fields(spec).Select(f => f.Name).ToList();
            var baseline = DefaultBaseline(spec);
            fields.Should().NotBeEmpty();
            fields.Except(baseline.Select(m => m.Key)).Should().BeEmpty($"{spec.Key}: every field of {spec.Contract} has a valid baseline value");
            spec.Fields.Keys.Except(fields).Should().BeEmpty($"{spec.Key}: the expectations name fields of {spec.Contract}");
        }
    }

    [Test]
    public async Task EveryEndpoint_HostileValueInEveryFieldRouteValueAndBody_AnswersA4xxProblemOrAnEarnedSuccess_NeverA5xxOrAnErrorLine()
    {
        var stopwatch = Stopwatch.StartNew();
        var map = Map();
        GroupEndpoints().Except(map.Select(s => s.Key)).Should().BeEmpty("the map covers the group (see EndpointMap_NamesEveryEndpointOfTheGroupAndEveryRequestContract)");
        var fieldCount = 0;
        foreach (var spec in map)
        {
            fieldCount += Fields(spec).Count + (spec.Route.Contains('{', StringComparison.Ordinal) ? 1 : 0);
            await RunAsync(spec, spec.Caller, exact: true);
            await RunAsync(spec, spec.Caller == Caller.Anonymous ? Caller.SignedIn : Caller.Anonymous, exact: false);
            if (spec.Caller == Caller.Owner)
            {
                await RunAsync(spec, Caller.User, exact: false);
            }
        }

        // The stored data still reads: the seeded users sign in (alice with her passkey, renamed above to odd but valid
        // names), and her account's pages load.
        Host.Time.Advance(TimeSpan.FromSeconds(2));
        foreach (var (email, status) in new[] { (ApiHost.OwnerEmail, "signed_in"), (TwoFactorEmail, "second_factor_required") })
        {
            using var session = await SignedInAsync(email, status);
        }

        using (var alice = await SignedInAsync(ApiHost.AliceEmail, "second_factor_required"))
        {
            var options = await alice.SendAsync("POST", Prefix + "/signin/passkey/options", null);
            var state = options.Json?.GetProperty("state").GetString();
            var assertion = JsonNode.Parse(_aliceKey!.CreateAssertionJson(options.Json!.Value.GetProperty("options").GetRawText()));
            var signedIn = await alice.SendAsync("POST", Prefix + "/signin/passkey", Json(new JsonObject { ["state"] = state, ["credential"] = assertion }));
            Check(signedIn.Status == 200, $"after the run, alice's passkey sign-in: {signedIn}");
            foreach (var path in new[] { "/passkeys", "/session", "/two-factor", "/support-pin", "/policy" })
            {
                var answer = await alice.SendAsync("GET", Prefix + path, null);
                Check(answer.Status == 200, $"after the run, GET {path} for alice: {answer}");
            }
        }

        TakeLogs("after the run");
        var summary = $"{_provider}: {map.Count} endpoints, {fieldCount} fields and route values, {HostileJson.Values.Count} hostile strings + {HostileJson.WrongTypes.Count} wrong types + "
            + $"{HostileJson.MalformedBodies.Count + HostileJson.ContentTypes.Count + 1} whole bodies; {_requests} requests ({_freshUsers} fresh users) in {stopwatch.Elapsed.TotalSeconds:F1} s; statuses "
            + string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        TestContext.Out.WriteLine(summary);
        if (_failures.Count > 0)
        {
            Assert.Fail($"{_failures.Count} hostile request(s) went wrong ({summary}):\n" + string.Join("\n", _failures.Take(60)));
        }
    }

    /// <summary>
    /// The hand-kept part: each endpoint's natural caller, its request contract (by type name, checked against the
    /// JSON contexts), and what each field does with odd text. A field not named is <see cref="Expect.Refused"/>.
    /// </summary>
    private static List<Spec> Map() =>
    [
        new("POST", "/signin", Caller.Anonymous, "PasswordSignInRequest"),
        new("POST", "/signin/second-factor", Caller.PendingSecondFactor, "CodeRequest"),
        new("POST", "/signin/recovery-code", Caller.PendingSecondFactor, "RecoveryCodeRequest"),
        new("POST", "/signin/setup", Caller.PendingSetup),
        new("POST", "/signin/setup/confirm", Caller.PendingSetup, "CodeRequest"),
        new("GET", "/antiforgery", Caller.Anonymous),

        // The same 202 whether or not the address names an account.
        new("POST", "/password/reset", Caller.Anonymous, "ResetRequest") { Fields = { ["email"] = Expect.AsBaseline } },
        new("POST", "/password/reset/complete", Caller.Anonymous, "ResetCompleteRequest"),
        new("POST", "/signout", Caller.FreshUser),
        new("GET", "/session", Caller.User),

        // A fresh user each time: an accepted odd password must then be the one that signs in.
        new("POST", "/password/change", Caller.FreshUser, "PasswordChangeRequest") { Fields = { ["newPassword"] = Expect.Accepts }, CheckAccepted = NewPasswordSignsInAsync },
        new("GET", "/two-factor", Caller.User),

        // The current code is asked for only while a factor is active; alice has none.
        new("POST", "/two-factor/setup", Caller.User, "PasswordAndCodeRequest") { Fields = { ["code"] = Expect.AsBaseline } },
        new("POST", "/two-factor/confirm", Caller.User, "TwoFactorConfirmRequest"),
        new("POST", "/two-factor/disable", Caller.User, "PasswordAndCodeRequest"),
        new("POST", "/two-factor/recovery-codes", Caller.User, "PasswordAndCodeRequest"),
        new("GET", "/support-pin", Caller.User),
        new("POST", "/support-pin", Caller.User, "SupportPinSetRequest"),
        new("POST", "/support-pin/remove", Caller.User, "CurrentPasswordRequest") { Fresh = SupportPinSetAsync },
        new("GET", "/policy", Caller.User),
        new("POST", "/policy", Caller.Owner, nameof(PasswordPolicySettings)),
        new("POST", "/admin/users/{userId}/two-factor/force", Caller.Owner, "ForceTwoFactorRequest"),
        new("POST", "/admin/users/{userId}/two-factor/reset", Caller.Owner),

        // Sessions: a session id in the path that is not the caller's is answered as unknown (404); ending others runs
        // as a fresh user, so the sweep's own sessions stay; the administrator ends bob's sessions (the target user).
        new("GET", "/sessions", Caller.User),
        new("POST", "/sessions/{sessionId}/end", Caller.User),
        new("POST", "/sessions/end-others", Caller.FreshUser),
        new("POST", "/admin/users/{userId}/sessions/end", Caller.Owner),
        new("GET", "/session-policy", Caller.User),
        new("POST", "/session-policy", Caller.Owner, "SessionPolicyRequest"),

        // The audit trail: the owner reads, exports, verifies and sets the retention; a user reads their own.
        new("GET", "/audit", Caller.Owner),
        new("GET", "/audit/me", Caller.User),
        new("GET", "/audit/export", Caller.Owner),
        new("GET", "/audit/verify", Caller.Owner),
        new("GET", "/audit/retention", Caller.Owner),
        new("POST", "/audit/retention", Caller.Owner, "AuditRetentionRequest"),

        // Step-up: a fresh user each time, so the wrong passwords of the sweep lock nobody the other rows use.
        new("GET", "/reauthentication", Caller.User),
        // The code is read only while the authenticator app is on; a fresh user has none, so any code answers as the baseline.
        new("POST", "/reauthentication", Caller.FreshUser, "ReauthenticateRequest") { Fields = { ["code"] = Expect.AsBaseline } },

        // By user id unless an e-mail address is given: the baseline takes the id path, a hostile address the other.
        new("POST", "/support-pin/verify", Caller.Owner, "SupportPinVerifyRequest") { Values = { ["email"] = null }, Fields = { ["email"] = Expect.BlankIsAbsent } },

        // The passkey package's endpoints, with real ceremonies where a field reaches the store.
        new("POST", "/signin/passkey/options", Caller.PendingSecondFactor),
        new("POST", "/signin/passkey", Caller.PendingSecondFactor, "PasskeyCredentialRequest") { Fields = { ["name"] = Expect.AsBaseline }, Fresh = SecondFactorAssertionAsync },
        new("POST", "/signin/setup/passkey/options", Caller.PendingSetup),
        new("POST", "/signin/setup/passkey", Caller.PendingSetup, "PasskeyCredentialRequest") { Fields = { ["name"] = Expect.Accepts, ["state"] = Expect.AsBaseline }, Fresh = SetupAttestationAsync, CheckAccepted = SignedInWithNamedPasskeyAsync },
        new("POST", "/signin/passwordless/options", Caller.Anonymous),
        new("POST", "/signin/passwordless", Caller.Anonymous, "PasskeyCredentialRequest") { Fields = { ["name"] = Expect.AsBaseline }, Fresh = PasswordlessAssertionAsync },
        new("GET", "/passkeys", Caller.User),
        // Without a current password the session's step-up proves it (alice's shared session is kept re-authenticated).
        new("POST", "/passkeys/options", Caller.User, "PasskeyPasswordRequest") { Values = { ["currentPassword"] = null } },
        new("POST", "/passkeys", Caller.FreshUser, "PasskeyCredentialRequest") { Fields = { ["name"] = Expect.Accepts, ["state"] = Expect.AsBaseline }, Fresh = RegistrationAsync, CheckAccepted = SignedInWithNamedPasskeyAsync },
        new("POST", "/passkeys/rename", Caller.User, "PasskeyChangeRequest") { Fields = { ["name"] = Expect.Accepts, ["currentPassword"] = Expect.AsBaseline }, CheckAccepted = SignedInWithNamedPasskeyAsync },
        new("POST", "/passkeys/remove", Caller.FreshUser, "PasskeyChangeRequest") { Fields = { ["name"] = Expect.AsBaseline }, Fresh = RegisteredPasskeyAsync },
        new("POST", "/policy/passwordless", Caller.Owner, "PasswordlessPolicyRequest"),
        new("POST", "/reauthentication/passkey/options", Caller.User),
        new("POST", "/reauthentication/passkey", Caller.User, "PasskeyCredentialRequest") { Fields = { ["name"] = Expect.AsBaseline } },

        // Creating users: the baseline invites an address of the owner's own contract (409), registers a known address
        // (202, a notice) and accepts a token that is none (400).
        new("POST", "/admin/users", Caller.Owner, "InviteUserRequest"),
        new("POST", "/invitations/accept", Caller.Anonymous, "AcceptInvitationRequest"),
        new("POST", "/register", Caller.Anonymous, "RegisterRequest") { Fields = { ["contractName"] = Expect.BlankIsAbsent } },
    ];

    /// <summary>A valid value for every field name of the request contracts (the baseline a hostile value replaces).</summary>
    private JsonObject FieldBaselines() => new()
    {
        ["email"] = ApiHost.AliceEmail,
        ["password"] = ApiHost.Password,
        ["currentPassword"] = ApiHost.Password,
        ["newPassword"] = NewPassword,
        ["newPasswordRepeated"] = NewPassword,
        ["code"] = "123456",
        ["recoveryCode"] = "ABCDE-FGHIJ",
        ["token"] = "not-a-reset-token",
        ["pin"] = "582914",
        ["pinRepeated"] = "582914",
        ["userId"] = "alice",
        ["state"] = "not-a-ceremony-state",
        ["name"] = "Laptop",
        ["credentialId"] = _alicePasskeyId,
        ["credential"] = FakeCredential.DeepClone(),
        ["forced"] = true,
        ["allowed"] = true,
        ["role"] = "user",
        ["passwordRepeated"] = ApiHost.Password,
        ["contractName"] = "Shop",
        ["signOutOtherSessions"] = true,
        ["idleTimeoutMinutes"] = 30,
        ["absoluteLifetimeMinutes"] = 720,
        ["maxSessionsPerUser"] = 10,
        ["retentionDays"] = 400,
    };

    private async Task RunAsync(Spec spec, Caller caller, bool exact)
    {
        Host.Time.Advance(TimeSpan.FromSeconds(2));
        if (caller is Caller.User or Caller.Owner)
        {
            // The shared sessions outlive the step-up window over the sweep's clock: keep them re-authenticated (as a
            // re-authentication would record it; alice may by now have only her passkey to do it with), so a request
            // without a password in it is judged on its fields, not on the session's age.
            var shared = await SessionAsync(caller);
            var listed = await shared.SendAsync("GET", "/account/sessions", null);
            var current = listed.Json!.Value.GetProperty("sessions").EnumerateArray().First(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
            await using var scope = Host.App.Services.CreateAsyncScope();
            var marked = await scope.ServiceProvider.GetRequiredService<AccountSecurity.Sessions.ISessionStore>()
                .MarkReauthenticatedAsync(caller == Caller.User ? "alice" : "owner1", current, Host.Time.GetUtcNow(), CancellationToken.None);
            marked.Should().BeTrue("the shared {0} session is live", caller);
        }

        var who = $"{caller} {spec.Key}";
        var fresh = exact ? spec.Fresh : null;
        var baseline = await SendAsync(spec, caller, fresh, b => b is null ? null : Json(b), TargetUserId, null, who + " (baseline)");
        var unknownRoute = spec.Route.Contains('{', StringComparison.Ordinal)
            ? await SendAsync(spec, caller, fresh, b => b is null ? null : Json(b), "no-such-user", null, who + " (unknown route value)")
            : null;

        async Task VariantAsync(string label, Func<JsonObject?, byte[]?> body, string route, string? query, Func<Answer, string?>? expectation, string? value = null, string? field = null, string contentType = "application/json", bool decoded = false)
        {
            var answer = await SendAsync(spec, caller, fresh, body, route, query, $"{who} {label}", contentType, decoded);
            if (exact && expectation?.Invoke(answer) is { } wrong)
            {
                _failures.Add($"{who} {label}: {wrong}; got {answer}");
            }
            else if (exact && value is not null && answer.IsSuccess && spec.Fields.GetValueOrDefault(field ?? string.Empty) == Expect.Accepts && spec.CheckAccepted is not null && await spec.CheckAccepted(this, answer, value) is { } notKept)
            {
                _failures.Add($"{who} {label}: accepted, but {notKept}");
            }
        }

        foreach (var field in Fields(spec))
        {
            var linked = Fields(spec).Any(f => f.Name == field.Name + "Repeated") ? field.Name + "Repeated" : null;
            var expect = spec.Fields.GetValueOrDefault(field.Name, Expect.Refused);
            byte[]? With(JsonObject? b, byte[] json) => Json(b!, (field.Name, json), linked is null ? default : (linked, json));
            if (field.PropertyType == typeof(string))
            {
                foreach (var text in HostileJson.Values)
                {
                    var value = text.Make(BaselineString(spec, field.Name));
                    await VariantAsync($"{field.Name}={text}", b => With(b, HostileJson.StringLiteral(text.Make(b![field.Name]?.GetValue<string>() ?? string.Empty), text.RawBytes)), TargetUserId, null, a => Judge(a, baseline, expect, text), value, field.Name);
                }

                foreach (var (name, json) in HostileJson.WrongTypes.Where(t => t.Name != "string"))
                {
                    await VariantAsync($"{field.Name} as {name}", b => With(b, Encoding.UTF8.GetBytes(json)), TargetUserId, null, a => name == "null" ? Judge(a, baseline, NullIsNotGiven(field.Name, expect), null) : InvalidInput(a));
                }
            }
            else if (field.PropertyType == typeof(JsonElement) || field.PropertyType == typeof(JsonElement?))
            {
                // The browser's credential: hostile text in its id and rawId (the credential id the store is searched by).
                foreach (var text in HostileJson.Values)
                {
                    await VariantAsync($"{field.Name}.id={text}", b => With(b, HostileCredential(b![field.Name], text)), TargetUserId, null, a => text.BeyondBodyLimit || (text.IsInvalidUtf16 && text.RawBytes) ? InvalidInput(a) : Refused(a));
                }

                foreach (var (name, json) in HostileJson.WrongTypes)
                {
                    await VariantAsync($"{field.Name} as {name}", b => With(b, Encoding.UTF8.GetBytes(json)), TargetUserId, null, Refused);
                }
            }
            else
            {
                foreach (var (name, json) in HostileJson.WrongTypes.Where(t => t.Name != "number" || field.PropertyType == typeof(bool) || field.PropertyType == typeof(bool?)))
                {
                    await VariantAsync($"{field.Name} as {name}", b => With(b, Encoding.UTF8.GetBytes(json)), TargetUserId, null, InvalidInput);
                }
            }
        }

        if (unknownRoute is not null)
        {
            // A hostile id in the path names no account: the answer of an unknown id. Percent-encoded as a client sends
            // it (the server decodes it; a lone surrogate's bytes are not UTF-8, so they stay encoded), and decoded as if
            // a server had delivered any text at all. No 100 KB path: a URI holds at most 64 K characters.
            foreach (var text in HostileJson.Values.Where(t => !t.BeyondBodyLimit).DistinctBy(t => t.Make(TargetUserId)))
            {
                var value = text.Make(TargetUserId);
                var name = text.Name.Split(" (")[0];
                if (!value.Contains('\0', StringComparison.Ordinal))
                {
                    // Servers refuse %00 in a path before the application (Kestrel: 400; TestServer's client throws).
                    await VariantAsync($"route userId={name} (percent-encoded)", b => b is null ? null : Json(b), HostileJson.PathSegment(value), null, a => Same(a, unknownRoute));
                }

                await VariantAsync($"route userId={name} (decoded)", b => b is null ? null : Json(b), value, null, a => Same(a, unknownRoute), decoded: true);
            }
        }

        if (spec.Contract is null)
        {
            foreach (var text in HostileJson.Values.Where(t => !t.BeyondBodyLimit && !t.IsValidText))
            {
                await VariantAsync($"query={text}", b => b is null ? null : Json(b), TargetUserId, "?value=" + HostileJson.PathSegment(text.Make("x")), a => Same(a, baseline));
            }
        }

        if (spec.Method == HttpMethods.Post)
        {
            // A member the contract has (role, for the invitation) is no extra: its hostile values are the field's own run.
            await VariantAsync("with extra members", b => HostileJson.Object([.. Members(b ?? new JsonObject()), .. HostileJson.ExtraMembers.Where(m => b?.ContainsKey(m.Name) != true).Select(m => (m.Name, Encoding.UTF8.GetBytes(m.Json)))]), TargetUserId, null, a => Same(a, baseline));
            foreach (var (name, body) in HostileJson.MalformedBodies)
            {
                await VariantAsync($"body {name}", _ => body, TargetUserId, null, a => spec.Contract is null ? Same(a, baseline) : InvalidInput(a));
            }

            foreach (var contentType in HostileJson.ContentTypes)
            {
                await VariantAsync($"body as {contentType}", b => b is null ? null : Json(b), TargetUserId, null, a => spec.Contract is null ? Same(a, baseline) : InvalidInput(a), contentType: contentType);
            }
        }
    }

    private static string? Judge(Answer answer, Answer baseline, Expect expect, HostileText? text)
    {
        if (text?.BeyondBodyLimit == true)
        {
            return InvalidInput(answer);
        }

        // A lone surrogate never reaches a handler: as raw bytes the body is not UTF-8, as an escape the string is not
        // UTF-16 the serializer reads. Either way the body is refused.
        if (text?.IsInvalidUtf16 == true)
        {
            return InvalidInput(answer);
        }

        return expect switch
        {
            Expect.Accepts when text?.IsValidText == true => answer.IsSuccess ? null : "expected a success: the value is well-formed text",
            Expect.AsBaseline => Same(answer, baseline),
            Expect.BlankIsAbsent when text is null || string.IsNullOrWhiteSpace(text.Make("x")) => Same(answer, baseline),
            _ => Refused(answer),
        };
    }

    /// <summary>A route parameter (<c>{userId}</c>, <c>{sessionId}</c>): the route value of a request replaces it.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();

    // Issue 26: a current password that is not given (null) asks the session itself for the proof, a recent sign-in, which
    // every caller here has: the answer is the baseline's. Blank or any other text is still a wrong password.
    private static Expect NullIsNotGiven(string field, Expect expect) =>
        field == "currentPassword" && expect == Expect.Refused ? Expect.AsBaseline : expect;

    private static string? Refused(Answer answer) => answer.Status is >= 400 and < 500 ? null : "expected a 4xx problem";

    private static string? InvalidInput(Answer answer) =>
        answer.Status == 400 && answer.Code == SecurityErrorCodes.InvalidInput ? null : "expected 400 invalid_input (the body is not the contract)";

    private static string? Same(Answer answer, Answer expected) =>
        answer.Status == expected.Status && answer.Code == expected.Code ? null : $"expected what the baseline got: {expected.Status} {expected.Code}";

    /// <summary>Sends one request as <paramref name="caller"/>, checks what every answer must be, and collects the log lines it caused.</summary>
    private async Task<Answer> SendAsync(Spec spec, Caller caller, Func<ApiHostileInputTests, Session, Task<JsonObject>>? fresh, Func<JsonObject?, byte[]?> body, string route, string? query, string label, string contentType = "application/json", bool decoded = false)
    {
        var session = await SessionAsync(caller);
        JsonObject? baseline = spec.Contract is null ? null : fresh is not null ? await fresh(this, session) : DefaultBaseline(spec);
        var content = spec.Method == HttpMethods.Post ? body(baseline) ?? "{}"u8.ToArray() : null;
        var path = Prefix + RouteParameter().Replace(spec.Route, route.Replace("$", "$$", StringComparison.Ordinal)) + query;
        var answer = decoded ? await session.SendDecodedAsync(Host, spec.Method, path, content) : await session.SendAsync(spec.Method, path, content, contentType);
        _requests++;
        _statuses[answer.Status] = _statuses.GetValueOrDefault(answer.Status) + 1;
        if (answer.Thrown is not null)
        {
            var frames = string.Join(" < ", (answer.Thrown.StackTrace ?? string.Empty).Split('\n').Take(4).Select(f => f.Trim()));
            _failures.Add($"{label}: unhandled exception {answer.Thrown.GetType().Name}: {FirstLine(answer.Thrown.Message)} {frames}");
        }
        else if (answer.Status is < 200 or >= 500 or (>= 300 and < 400))
        {
            _failures.Add($"{label}: {answer}");
        }
        else if (answer.Status >= 400 && string.IsNullOrEmpty(answer.Code))
        {
            _failures.Add($"{label}: a {answer.Status} without a problem code: {answer}");
        }
        else if (answer.Status >= 400 && !Declares(spec, answer.Status, answer.Code!))
        {
            // The OpenAPI description (ApiOperations) is the endpoint's contract: an answer outside it is a bug in one or the other.
            _failures.Add($"{label}: {answer.Status} {answer.Code} is not among the problems {spec.Key} declares to OpenAPI");
        }

        if (caller == Caller.SignedIn && answer.IsSuccess)
        {
            _signedIn = null;
        }

        TakeLogs(label);
        return answer;
    }

    /// <summary>Whether the endpoint of <paramref name="spec"/> declares <paramref name="status"/> with <paramref name="code"/> in its OpenAPI description.</summary>
    private bool Declares(Spec spec, int status, string code)
    {
        _declared ??= Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ApiOperation>() is not null && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Key: $"{m} {e.RoutePattern.RawText![Prefix.Length..]}", Operation: e.Metadata.GetMetadata<ApiOperation>()!)))
            .ToDictionary(x => x.Key, x => x.Operation, StringComparer.Ordinal);
        return _declared.TryGetValue(spec.Key, out var operation)
            && operation.Problems.TryGetValue(status, out var codes)
            && codes.Contains(code, StringComparer.Ordinal);
    }

    /// <summary>Every error line (and any line about an unhandled exception) logged since the last call is a failure of <paramref name="label"/>.</summary>
    private void TakeLogs(string label)
    {
        var entries = Host.Logs.Entries;
        Host.Logs.Clear();
        foreach (var entry in entries.Where(e => e.Level >= LogLevel.Error || e.Message.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase)))
        {
            _failures.Add($"{label}: {entry.Level} log line from {entry.Category}: {FirstLine(entry.Message)}"
                + (entry.Exception is null ? string.Empty : $" ({entry.Exception.GetType().Name}: {FirstLine(entry.Exception.Message)})"));
        }
    }

    private void Check(bool condition, string failure)
    {
        if (!condition)
        {
            _failures.Add(failure);
        }
    }

    /// <summary>A client in the state <paramref name="caller"/> needs: shared for the seeded user and owner, new for every other request.</summary>
    private async Task<Session> SessionAsync(Caller caller)
    {
        switch (caller)
        {
            case Caller.User:
                return _alice!;
            case Caller.Owner:
                return _owner!;
            case Caller.PendingSecondFactor:
                return Kept(await SignedInAsync(TwoFactorEmail, "second_factor_required"));
            case Caller.SignedIn:
                return _signedIn ??= await SessionAsync(Caller.FreshUser);
            case Caller.PendingSetup:
            case Caller.FreshUser:
                var id = $"fresh{++_freshUsers}";
                await using (var scope = Host.App.Services.CreateAsyncScope())
                {
                    var created = await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>().CreateUserAsync("owner1", new NewUser { UserId = id, Email = id + "@example.com", Role = UserRole.User, InitialPassword = ApiHost.Password });
                    created.Succeeded.Should().BeTrue();
                    if (caller == Caller.PendingSetup)
                    {
                        (await scope.ServiceProvider.GetRequiredService<ITwoFactorAdministrationService>().SetForcedAsync(await TestSessions.FreshAsync(scope.ServiceProvider, "owner1"), id, true)).Succeeded.Should().BeTrue();
                    }
                }

                return Kept(await SignedInAsync(id + "@example.com", caller == Caller.PendingSetup ? "two_factor_setup_required" : "signed_in"));
            default:
                return Kept(new Session(Host.CreateClient()));
        }
    }

    /// <summary>A new session, kept until the fixture ends: a check after the answer may still use it.</summary>
    private Session Kept(Session session)
    {
        _sessions.Add(session);
        return session;
    }

    private async Task<Session> SignedInAsync(string email, string expectedStatus)
    {
        var session = new Session(Host.CreateClient()) { Email = email };
        var answer = await session.SendAsync("POST", Prefix + "/signin", Json(new JsonObject { ["email"] = email, ["password"] = ApiHost.Password }));
        var status = answer.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("status", out var s) ? s.GetString() : null;
        status.Should().Be(expectedStatus, $"{email} signs in: {answer}");
        return session;
    }

    private static async Task<JsonObject> RegistrationBodyAsync(Session session, SoftwareAuthenticator key)
    {
        var options = await session.SendAsync("POST", Prefix + "/passkeys/options", Json(new JsonObject { ["currentPassword"] = ApiHost.Password }));
        options.Status.Should().Be(200, options.Text);
        return new JsonObject
        {
            ["state"] = options.Json!.Value.TryGetProperty("state", out var state) ? state.GetString() : null,
            ["credential"] = JsonNode.Parse(key.CreateAttestationJson(options.Json!.Value.GetProperty("options").GetRawText())),
            ["name"] = "Laptop",
        };
    }

    private static async Task<JsonObject> RegistrationAsync(ApiHostileInputTests suite, Session session)
    {
        using var key = new SoftwareAuthenticator("http://localhost");
        return await RegistrationBodyAsync(session, key);
    }

    private static async Task<JsonObject> RegisteredPasskeyAsync(ApiHostileInputTests suite, Session session)
    {
        var registered = await session.SendAsync("POST", Prefix + "/passkeys", Json(await RegistrationAsync(suite, session)));
        registered.Status.Should().Be(200, registered.Text);
        // No current password: the step-up path (the fresh user's password-only sign-in no longer counts once a passkey exists).
        return new JsonObject { ["credentialId"] = registered.Json!.Value.GetProperty("credentialId").GetString(), ["name"] = "Laptop", ["currentPassword"] = null };
    }

    private static async Task<JsonObject> SetupAttestationAsync(ApiHostileInputTests suite, Session session)
    {
        using var key = new SoftwareAuthenticator("http://localhost");
        var options = await session.SendAsync("POST", Prefix + "/signin/setup/passkey/options", null);
        options.Status.Should().Be(200, options.Text);
        return new JsonObject
        {
            ["state"] = options.Json!.Value.TryGetProperty("state", out var state) ? state.GetString() : null,
            ["credential"] = JsonNode.Parse(key.CreateAttestationJson(options.Json!.Value.GetProperty("options").GetRawText())),
            ["name"] = "Laptop",
        };
    }

    /// <summary>Alice's PIN, set again before each removal so each request removes one.</summary>
    private static async Task<JsonObject> SupportPinSetAsync(ApiHostileInputTests suite, Session session)
    {
        var set = await session.SendAsync("POST", Prefix + "/support-pin", Json(new JsonObject { ["currentPassword"] = ApiHost.Password, ["pin"] = "582914", ["pinRepeated"] = "582914" }));
        set.Status.Should().Be(200, set.Text);
        return new JsonObject { ["currentPassword"] = ApiHost.Password };
    }

    private static Task<JsonObject> SecondFactorAssertionAsync(ApiHostileInputTests suite, Session session) => suite.AssertionAsync(session, "/signin/passkey/options");

    private static Task<JsonObject> PasswordlessAssertionAsync(ApiHostileInputTests suite, Session session) => suite.AssertionAsync(session, "/signin/passwordless/options");

    private async Task<JsonObject> AssertionAsync(Session session, string optionsPath)
    {
        var options = await session.SendAsync("POST", Prefix + optionsPath, null);
        options.Status.Should().Be(200, options.Text);
        return new JsonObject
        {
            ["state"] = options.Json!.Value.GetProperty("state").GetString(),
            ["credential"] = JsonNode.Parse(_tinaKey!.CreateAssertionJson(options.Json!.Value.GetProperty("options").GetRawText())),
            ["name"] = "Laptop",
        };
    }

    /// <summary>After an accepted new password: the fresh user signs in with exactly that text.</summary>
    private static async Task<string?> NewPasswordSignsInAsync(ApiHostileInputTests suite, Answer answer, string value)
    {
        var email = answer.Session!.Email!;
        using var session = new Session(suite.Host.CreateClient());
        var signIn = await session.SendAsync("POST", Prefix + "/signin", HostileJson.Object([("email", HostileJson.StringLiteral(email)), ("password", HostileJson.StringLiteral(value))]));
        return signIn.Status == 200 ? null : $"signing in with the new password answered {signIn}";
    }

    /// <summary>After an accepted passkey name: the session lists a passkey with exactly that (trimmed) name.</summary>
    private static async Task<string?> SignedInWithNamedPasskeyAsync(ApiHostileInputTests suite, Answer answer, string value)
    {
        var list = await answer.Session!.SendAsync("GET", Prefix + "/passkeys", null);
        var names = list.Json is { } json ? json.GetProperty("passkeys").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList() : [];
        return names.Contains(value.Trim()) ? null : $"the passkeys listed afterwards ({list.Status}) are named {string.Join(", ", names.Select(n => JsonSerializer.Serialize(n)))}";
    }

    private static byte[] HostileCredential(JsonNode? credential, HostileText text)
    {
        var members = Members(credential as JsonObject ?? FakeCredential.DeepClone().AsObject())
            .Select(m => m.Name is "id" or "rawId"
                ? (m.Name, HostileJson.StringLiteral(text.Make(credential?[m.Name]?.GetValue<string>() ?? "AAAA"), text.RawBytes))
                : m);
        return HostileJson.Object(members);
    }

    private string BaselineString(Spec spec, string field) =>
        spec.Values.TryGetValue(field, out var value) ? value?.GetValue<string>() ?? string.Empty : FieldBaselines()[field]?.GetValue<string>() ?? string.Empty;

    private JsonObject DefaultBaseline(Spec spec)
    {
        if (spec.Contract == nameof(PasswordPolicySettings))
        {
            return JsonNode.Parse(JsonSerializer.Serialize(PasswordPolicySettings.Default, AccountSecurityJsonContext.Default.PasswordPolicySettings))!.AsObject();
        }

        var values = FieldBaselines();
        var baseline = new JsonObject();
        foreach (var field in Fields(spec))
        {
            if (spec.Values.TryGetValue(field.Name, out var value))
            {
                baseline[field.Name] = value?.DeepClone();
            }
            else if (values.TryGetPropertyValue(field.Name, out var known))
            {
                baseline[field.Name] = known?.DeepClone();
            }
        }

        return baseline;
    }

    private static IEnumerable<(string Name, byte[] Json)> Members(JsonObject body) =>
        body.Select(m => (m.Key, Encoding.UTF8.GetBytes(m.Value?.ToJsonString() ?? "null")));

    private static byte[] Json(JsonObject body, params (string? Name, byte[] Json)[] replaced)
    {
        var members = Members(body).ToList();
        foreach (var (name, json) in replaced.Where(r => r.Name is not null))
        {
            var index = members.FindIndex(m => m.Name == name);
            if (index >= 0)
            {
                members[index] = (name!, json);
            }
            else
            {
                members.Add((name!, json));
            }
        }

        return HostileJson.Object(members);
    }

    private List<string> GroupEndpoints() =>
        [.. Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccountSecurityApiEndpointMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText![Prefix.Length..]}"))];

    /// <summary>The contexts' registered types named <c>*Request</c> (the request contracts), plus the policy settings the owner posts.</summary>
    private static Dictionary<string, (Type Type, JsonSerializerContext Context)> RequestContracts()
    {
        var passkeys = typeof(IPasskeyService).Assembly.GetType("AccountSecurity.Passkeys.Ceremonies.PasskeyJsonContext", throwOnError: true)!;
        var contracts = new Dictionary<string, (Type, JsonSerializerContext)>();
        foreach (var (contextType, context) in new[]
        {
            (typeof(AccountSecurityJsonContext), (JsonSerializerContext)AccountSecurityJsonContext.Default),
            (typeof(AuditJsonContext), (JsonSerializerContext)AuditJsonContext.Default),
            (passkeys, (JsonSerializerContext)passkeys.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!),
        })
        {
            foreach (var type in contextType.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
                .Select(a => (Type)a.ConstructorArguments[0].Value!)
                .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) || t == typeof(PasswordPolicySettings)))
            {
                contracts.Add(type.Name, (type, context));
            }
        }

        return contracts;
    }

    private static List<JsonPropertyInfo> Fields(Spec spec)
    {
        if (spec.Contract is null)
        {
            return [];
        }

        var (type, context) = RequestContracts()[spec.Contract];
        return [.. context.GetTypeInfo(type)!.Properties];
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>One endpoint of the group, as the suite drives it.</summary>
    private sealed record Spec(string Method, string Route, Caller Caller, string? Contract = null)
    {
        public string Key => $"{Method} {Route}";

        /// <summary>What each field does with odd text; unnamed fields are <see cref="Expect.Refused"/>.</summary>
        public Dictionary<string, Expect> Fields { get; init; } = [];

        /// <summary>Baseline values of this endpoint that differ from <see cref="FieldBaselines"/>.</summary>
        public Dictionary<string, JsonNode?> Values { get; init; } = [];

        /// <summary>A baseline built for each request (a real ceremony), for the natural caller.</summary>
        public Func<ApiHostileInputTests, Session, Task<JsonObject>>? Fresh { get; init; }

        /// <summary>After a success of an <see cref="Expect.Accepts"/> field: a failure message unless the value was kept as sent.</summary>
        public Func<ApiHostileInputTests, Answer, string, Task<string?>>? CheckAccepted { get; init; }
    }

    /// <summary>An answer, read once.</summary>
    private sealed record Answer(int Status, string? MediaType, string? Code, string Text, JsonElement? Json, Exception? Thrown, Session? Session)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public override string ToString() => Thrown is not null ? $"exception {Thrown.GetType().Name}" : $"{Status} {Code} {MediaType}: {Truncate(Text)}";
    }

    /// <summary>A browser-like client that keeps its antiforgery token and fetches a new one when it is refused.</summary>
    private sealed class Session(ApiHost.Client client) : IDisposable
    {
        private (string Header, string Token)? _antiforgery;

        public ApiHost.Client Client { get; } = client;

        public string? Email { get; init; }

        public async Task<Answer> SendAsync(string method, string path, byte[]? body, string contentType = "application/json")
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    _antiforgery ??= await TokenAsync();
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (body is not null)
                    {
                        request.Content = new ByteArrayContent(body);
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                    }

                    request.Headers.TryAddWithoutValidation(_antiforgery.Value.Header, _antiforgery.Value.Token);
                    using var response = await Client.Http.SendAsync(request);
                    var answer = Read((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
                    if (answer.Code == "antiforgery_invalid" && attempt == 0)
                    {
                        // The token belongs to the identity it was issued for: a sign-in or a new stamp needs a new one.
                        _antiforgery = null;
                        continue;
                    }

                    return answer;
                }
                catch (Exception exception)
                {
                    return new Answer(0, null, null, exception.ToString(), null, exception, this);
                }
            }
        }

        /// <summary>
        /// Sends a request whose path is already decoded, as if a server had delivered <paramref name="path"/> as it
        /// is (NUL, a lone surrogate): straight into the pipeline, with this session's cookies and antiforgery token.
        /// </summary>
        public async Task<Answer> SendDecodedAsync(ApiHost host, string method, string path, byte[]? body)
        {
            try
            {
                _antiforgery ??= await TokenAsync();
                var (header, token) = _antiforgery.Value;
                var context = await host.App.GetTestServer().SendAsync(c =>
                {
                    c.Request.Method = method;
                    c.Request.Scheme = Client.BaseAddress.Scheme;
                    c.Request.Host = new HostString(Client.BaseAddress.Authority);
                    c.Request.Path = new PathString(path);
                    c.Request.Headers.Cookie = Client.Cookies.GetCookieHeader(Client.BaseAddress);
                    c.Request.Headers[header] = token;
                    if (body is not null)
                    {
                        c.Request.ContentType = "application/json";
                        c.Request.ContentLength = body.Length;
                        c.Request.Body = new MemoryStream(body);
                    }
                });
                var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
                return Read(context.Response.StatusCode, context.Response.ContentType, text);
            }
            catch (Exception exception)
            {
                return new Answer(0, null, null, exception.ToString(), null, exception, this);
            }
        }

        public void Dispose() => Client.Dispose();

        private Answer Read(int status, string? contentType, string text)
        {
            var mediaType = contentType?.Split(';')[0].Trim();
            JsonElement? json = null;
            // A JSON document (application/json, application/problem+json), not JSON lines (application/jsonl: an export).
            if ((mediaType == "application/json" || mediaType?.EndsWith("+json", StringComparison.Ordinal) == true) && text.Length > 0)
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }

            var code = mediaType == "application/problem+json" && json?.TryGetProperty("code", out var c) == true ? c.GetString() : null;
            return new Answer(status, mediaType, code, text, json, null, this);
        }

        private async Task<(string, string)> TokenAsync()
        {
            using var response = await Client.Http.GetAsync(Prefix + "/antiforgery");
            var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return (token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString()!);
        }
    }
}
