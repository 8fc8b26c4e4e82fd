using System.Net;
using System.Text.Json;
using AccountSecurity.AspNetCore.Tests.TestSupport;
using AccountSecurity.Passkeys.Tests.TestSupport;
using AccountSecurity.Results;

namespace AccountSecurity.AspNetCore.Tests;

/// <summary>The passkey ceremonies over HTTP, through MapAccountSecurityApi's group, with real WebAuthn responses.</summary>
public sealed class PasskeyEndpointTests
{
    [Test]
    public async Task Register_then_sign_in_with_password_and_passkey_over_http()
    {
        await using var host = await ApiHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator("http://localhost");
        using var client = host.CreateClient();
        (await Flows.PasswordAsync(client, ApiHost.AliceEmail)).StatusCode.Should().Be(HttpStatusCode.OK);

        var options = await client.PostAsync("/account/passkeys/options", new { currentPassword = ApiHost.Password });
        options.StatusCode.Should().Be(HttpStatusCode.OK, await options.Content.ReadAsStringAsync());
        options.Headers.CacheControl!.NoStore.Should().BeTrue();
        var creation = (await Flows.JsonAsync(options)).GetProperty("options").GetRawText();
        var registered = await client.PostAsync("/account/passkeys", new { credential = JsonDocument.Parse(authenticator.CreateAttestationJson(creation)).RootElement, name = "Laptop" });
        registered.StatusCode.Should().Be(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        (await Flows.JsonAsync(registered)).GetProperty("name").GetString().Should().Be("Laptop");
        (await client.GetAsync("/account/session")).StatusCode.Should().Be(HttpStatusCode.OK, "the caller's session was re-issued with the new stamp");
        var list = await Flows.JsonAsync(await client.GetAsync("/account/passkeys"));
        list.GetProperty("passkeys").GetArrayLength().Should().Be(1);

        using var second = host.CreateClient();
        (await Flows.JsonAsync(await Flows.PasswordAsync(second, ApiHost.AliceEmail))).GetProperty("status").GetString().Should().Be("second_factor_required");
        var request = await second.PostAsync("/account/signin/passkey/options");
        request.StatusCode.Should().Be(HttpStatusCode.OK, await request.Content.ReadAsStringAsync());
        var ceremony = await Flows.JsonAsync(request);
        var assertion = JsonDocument.Parse(authenticator.CreateAssertionJson(ceremony.GetProperty("options").GetRawText())).RootElement;
        var signedIn = await second.PostAsync("/account/signin/passkey", new { state = ceremony.GetProperty("state").GetString(), credential = assertion });

        signedIn.StatusCode.Should().Be(HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        (await Flows.JsonAsync(signedIn)).GetProperty("status").GetString().Should().Be("signed_in");
        (await second.GetAsync("/protected")).StatusCode.Should().Be(HttpStatusCode.OK, "a passkey session is a second-factor session");
        var replay = await second.PostAsync("/account/signin/passkey", new { state = ceremony.GetProperty("state").GetString(), credential = assertion });
        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the pending cookie and the ticket were spent");
    }

    [Test]
    public async Task A_response_for_another_origin_is_a_401_with_its_code()
    {
        await using var host = await ApiHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator("http://localhost");
        using var client = host.CreateClient();
        await Flows.PasswordAsync(client, ApiHost.AliceEmail);
        var options = await Flows.JsonAsync(await client.PostAsync("/account/passkeys/options", new { currentPassword = ApiHost.Password }));
        var attestation = authenticator.CreateAttestationJson(options.GetProperty("options").GetRawText(), new AuthenticatorBehaviour { Origin = "http://evil.example" });

        var refused = await client.PostAsync("/account/passkeys", new { credential = JsonDocument.Parse(attestation).RootElement, name = "Laptop" });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Flows.CodeOfAsync(refused)).Should().Be(SecurityErrorCodes.PasskeyOriginMismatch);
        (await Flows.JsonAsync(await client.GetAsync("/account/passkeys"))).GetProperty("passkeys").GetArrayLength().Should().Be(0);
    }

    [Test]
    public async Task Passkey_posts_need_antiforgery_and_a_well_formed_body()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.CreateClient();
        await Flows.PasswordAsync(client, ApiHost.AliceEmail);

        var noToken = await client.PostAsync("/account/passkeys/options", new { currentPassword = ApiHost.Password }, antiforgery: false);
        var notJson = await client.PostAsync("/account/signin/passwordless", "just a string");
        var noCredential = await client.PostAsync("/account/signin/passwordless", new { state = "x" });
        var signedOut = host.CreateClient();
        var anonymousList = await signedOut.GetAsync("/account/passkeys");

        (await Flows.CodeOfAsync(noToken)).Should().Be("antiforgery_invalid");
        notJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noCredential.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Flows.CodeOfAsync(noCredential)).Should().Be(SecurityErrorCodes.PasskeyCeremonyExpired);
        anonymousList.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Passwordless_over_http_needs_the_owners_switch()
    {
        await using var host = await ApiHost.StartAsync();
        using var authenticator = new SoftwareAuthenticator("http://localhost");
        using (var alice = host.CreateClient())
        {
            await Flows.PasswordAsync(alice, ApiHost.AliceEmail);
            var options = await Flows.JsonAsync(await alice.PostAsync("/account/passkeys/options", new { currentPassword = ApiHost.Password }));
            var attestation = JsonDocument.Parse(authenticator.CreateAttestationJson(options.GetProperty("options").GetRawText())).RootElement;
            (await alice.PostAsync("/account/passkeys", new { credential = attestation, name = "Phone" })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await alice.PostAsync("/account/policy/passwordless", new { allowed = true })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "only the owner switches it");
        }

        using var anonymous = host.CreateClient();
        Task<HttpResponseMessage> PasswordlessAsync(JsonElement ceremony) => anonymous.PostAsync("/account/signin/passwordless", new
        {
            state = ceremony.GetProperty("state").GetString(),
            credential = JsonDocument.Parse(authenticator.CreateAssertionJson(ceremony.GetProperty("options").GetRawText())).RootElement,
        });

        var refused = await PasswordlessAsync(await Flows.JsonAsync(await anonymous.PostAsync("/account/signin/passwordless/options")));
        (await Flows.CodeOfAsync(refused)).Should().Be(SecurityErrorCodes.PasskeySignInNotAllowed);

        using (var owner = host.CreateClient())
        {
            await Flows.PasswordAsync(owner, ApiHost.OwnerEmail);
            (await owner.PostAsync("/account/policy/passwordless", new { allowed = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var signedIn = await PasswordlessAsync(await Flows.JsonAsync(await anonymous.PostAsync("/account/signin/passwordless/options")));
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        var session = await Flows.JsonAsync(await anonymous.GetAsync("/account/session"));
        session.GetRawText().Should().Contain("hwk").And.Contain("mfa");
    }
}
