using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using AssertionOptions = Fido2NetLib.AssertionOptions;

namespace AccountSecurity.Passkeys.Tests.TestSupport;

/// <summary>
/// Proves <see cref="SoftwareAuthenticator"/> against the Fido2 library itself: an honest authenticator registers and
/// signs in, and every knob of <see cref="AuthenticatorBehaviour"/> makes Fido2 refuse with the code named in the test.
/// </summary>
[TestFixture]
public sealed class SoftwareAuthenticatorTests
{
    private const string Origin = "http://localhost:5080";
    private static readonly byte[] UserId = Encoding.UTF8.GetBytes("user-0001");

    private Fido2 _fido2 = null!;
    private SoftwareAuthenticator _authenticator = null!;

    [SetUp]
    public void SetUp()
    {
        _fido2 = NewFido2();
        _authenticator = new SoftwareAuthenticator(Origin);
    }

    [TearDown]
    public void TearDown() => _authenticator.Dispose();

    [Test]
    public async Task Registration_WithHonestAuthenticator_ReturnsItsCredentialIdPublicKeyAndCounter()
    {
        using var authenticator = new SoftwareAuthenticator(Origin, initialCounter: 7);
        var options = RequestCreation();

        var registered = await RegisterAsync(authenticator, options);

        registered.Id.Should().Equal(authenticator.CredentialId);
        authenticator.CredentialId.Length.Should().BeInRange(16, 32);
        Base64UrlDecode(authenticator.CredentialIdBase64Url).Should().Equal(authenticator.CredentialId);
        registered.PublicKey.Should().Equal(authenticator.CosePublicKey);
        registered.SignCount.Should().Be(7);
        authenticator.Counter.Should().Be(7);
        registered.AttestationFormat.Should().Be("none");
        registered.Transports.Should().Equal(AuthenticatorTransport.Internal);
        registered.User.Id.Should().Equal(UserId);
        authenticator.UserHandle.Should().Equal(UserId, "the user handle comes from the options' user.id");
        registered.IsBackupEligible.Should().BeFalse();
        registered.IsBackedUp.Should().BeFalse();
    }

    [Test]
    public async Task Registration_WithBackupEligibleAuthenticatorThatIsBackedUp_ReportsBothFlags()
    {
        using var authenticator = new SoftwareAuthenticator(Origin, backupEligible: true);

        var registered = await RegisterAsync(authenticator, RequestCreation(), new AuthenticatorBehaviour { BackedUp = true });

        registered.IsBackupEligible.Should().BeTrue();
        registered.IsBackedUp.Should().BeTrue();
    }

    [Test]
    public async Task Registration_WithTwoAuthenticators_GivesDistinctCredentialsAndKeys()
    {
        using var other = new SoftwareAuthenticator(Origin);

        var first = await RegisterAsync(_authenticator, RequestCreation());
        var second = await RegisterAsync(other, RequestCreation());

        second.Id.Should().NotEqual(first.Id);
        second.PublicKey.Should().NotEqual(first.PublicKey);
    }

    [Test]
    public async Task Assertion_WithHonestAuthenticator_SucceedsWithTheCounterAdvancedByOne()
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var options = RequestAssertion(registered);
        IsUserHandleOwnerOfCredentialIdParams? asked = null;

        var result = await _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = Deserialize<AuthenticatorAssertionRawResponse>(_authenticator.CreateAssertionJson(options.ToJson())),
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = registered.SignCount,
            IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
            {
                asked = args;
                return Task.FromResult(args.UserHandle.SequenceEqual(UserId) && args.CredentialId.SequenceEqual(registered.Id));
            },
        });

        result.CredentialId.Should().Equal(registered.Id);
        result.SignCount.Should().Be(registered.SignCount + 1);
        _authenticator.Counter.Should().Be(result.SignCount);
        asked.Should().NotBeNull("the assertion carries the user handle by default");
        asked!.UserHandle.Should().Equal(UserId);
    }

    [Test]
    public async Task Assertion_RepeatedWithTheLastCounterStored_SucceedsEachTime()
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var stored = registered.SignCount;

        for (var i = 1; i <= 3; i++)
        {
            var result = await AssertAsync(registered, stored);
            result.SignCount.Should().Be(stored + 1);
            stored = result.SignCount;
        }

        stored.Should().Be(3);
    }

    [Test]
    public async Task Assertion_WithoutUserHandle_SucceedsWithoutAskingWhoOwnsTheCredential()
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var options = RequestAssertion(registered);
        var json = _authenticator.CreateAssertionJson(options.ToJson(), new AuthenticatorBehaviour { IncludeUserHandle = false });
        var asked = false;

        var response = Deserialize<AuthenticatorAssertionRawResponse>(json);
        await _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = response,
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = registered.SignCount,
            IsUserHandleOwnerOfCredentialIdCallback = (_, _) =>
            {
                asked = true;
                return Task.FromResult(true);
            },
        });

        response.Response.UserHandle.Should().BeNull();
        asked.Should().BeFalse();
    }

    [Test]
    public async Task Assertion_WhoseUserHandleTheRelyingPartyDisowns_IsRefusedWithInvalidAssertionResponse()
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var options = RequestAssertion(registered);

        var act = () => _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = Deserialize<AuthenticatorAssertionRawResponse>(_authenticator.CreateAssertionJson(options.ToJson())),
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = registered.SignCount,
            IsUserHandleOwnerOfCredentialIdCallback = (_, _) => Task.FromResult(false),
        });

        (await act.Should().ThrowAsync<Fido2VerificationException>()).Which.Code.Should().Be(Fido2ErrorCode.InvalidAssertionResponse);
    }

    [Test]
    public async Task Assertion_SignedByAnotherKey_IsRefusedWithInvalidSignature()
    {
        using var impostor = new SoftwareAuthenticator(Origin);
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var stolen = await RegisterAsync(impostor, RequestCreation());

        // The impostor's assertion checked against the first authenticator's stored key.
        var options = RequestAssertion(stolen);
        var act = () => _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = Deserialize<AuthenticatorAssertionRawResponse>(impostor.CreateAssertionJson(options.ToJson())),
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = 0,
            IsUserHandleOwnerOfCredentialIdCallback = (_, _) => Task.FromResult(true),
        });

        (await act.Should().ThrowAsync<Fido2VerificationException>()).Which.Code.Should().Be(Fido2ErrorCode.InvalidSignature);
    }

    // Registration refusals.

    [Test]
    public async Task Registration_FromWrongOrigin_IsRefusedWithInvalidAuthenticatorResponseOrigin()
    {
        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { Origin = "http://evil.example:5080" });

        code.Should().Be(Fido2ErrorCode.InvalidAuthenticatorResponseOrigin);
    }

    [Test]
    public async Task Registration_ForWrongRpId_IsRefusedWithInvalidRpidHash()
    {
        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { RpId = "evil.example" });

        code.Should().Be(Fido2ErrorCode.InvalidRpidHash);
    }

    [Test]
    public async Task Registration_WithWrongChallenge_IsRefusedWithInvalidAuthenticatorResponseChallenge()
    {
        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { Challenge = new byte[32] });

        code.Should().Be(Fido2ErrorCode.InvalidAuthenticatorResponseChallenge);
    }

    [Test]
    public async Task Registration_WithoutUserVerificationWhenRequired_IsRefusedWithUserVerificationRequirementNotMet()
    {
        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { UserVerified = false }, UserVerificationRequirement.Required);

        code.Should().Be(Fido2ErrorCode.UserVerificationRequirementNotMet);
    }

    [Test]
    public async Task Registration_WithoutUserVerificationWhenPreferred_Succeeds()
    {
        var options = RequestCreation(UserVerificationRequirement.Preferred);

        var registered = await RegisterAsync(_authenticator, options, new AuthenticatorBehaviour { UserVerified = false });

        registered.Id.Should().Equal(_authenticator.CredentialId);
    }

    [Test]
    public async Task Registration_WithoutUserPresence_IsRefusedWithUserPresentFlagNotSet()
    {
        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { UserPresent = false });

        code.Should().Be(Fido2ErrorCode.UserPresentFlagNotSet);
    }

    [Test]
    public async Task Registration_BackupEligible_WhenTheConfigurationDisallowsIt_IsRefusedWithBackupEligibilityRequirementNotMet()
    {
        _fido2 = NewFido2(config => config.BackupEligibleCredentialPolicy = Fido2Configuration.CredentialBackupPolicy.Disallowed);

        var code = await RegistrationRefusalAsync(new AuthenticatorBehaviour { BackupEligible = true });

        code.Should().Be(Fido2ErrorCode.BackupEligibilityRequirementNotMet);
    }

    // Assertion refusals.

    [Test]
    public async Task Assertion_FromWrongOrigin_IsRefusedWithInvalidAuthenticatorResponseOrigin()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { Origin = "http://evil.example:5080" });

        code.Should().Be(Fido2ErrorCode.InvalidAuthenticatorResponseOrigin);
    }

    [Test]
    public async Task Assertion_ForWrongRpId_IsRefusedWithInvalidRpidHash()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { RpId = "evil.example" });

        code.Should().Be(Fido2ErrorCode.InvalidRpidHash);
    }

    [Test]
    public async Task Assertion_WithWrongChallenge_IsRefusedWithInvalidAuthenticatorResponseChallenge()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { Challenge = new byte[32] });

        code.Should().Be(Fido2ErrorCode.InvalidAuthenticatorResponseChallenge);
    }

    [Test]
    public async Task Assertion_WithTamperedSignature_IsRefusedWithInvalidSignature()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { TamperSignature = true });

        code.Should().Be(Fido2ErrorCode.InvalidSignature);
    }

    [Test]
    public async Task Assertion_WhoseCounterDoesNotAdvance_IsRefusedWithInvalidSignCount()
    {
        // Stored 5, presented 5: a cloned authenticator's tell.
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { Counter = 5 }, storedCounter: 5);

        code.Should().Be(Fido2ErrorCode.InvalidSignCount);
    }

    [Test]
    public async Task Assertion_WhoseCounterGoesBack_IsRefusedWithInvalidSignCount()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { Counter = 4 }, storedCounter: 5);

        code.Should().Be(Fido2ErrorCode.InvalidSignCount);
    }

    [Test]
    public async Task Assertion_WhoseCounterIsSetPastTheStoredOne_Succeeds()
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());

        var result = await AssertAsync(registered, storedCounter: 5, new AuthenticatorBehaviour { Counter = 6 });

        result.SignCount.Should().Be(6);
        _authenticator.Counter.Should().Be(6);
    }

    [Test]
    public async Task Assertion_WithoutUserVerificationWhenRequired_IsRefusedWithUserVerificationRequirementNotMet()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { UserVerified = false });

        code.Should().Be(Fido2ErrorCode.UserVerificationRequirementNotMet);
    }

    [Test]
    public async Task Assertion_WithoutUserPresence_IsRefusedWithUserPresentFlagNotSet()
    {
        var code = await AssertionRefusalAsync(new AuthenticatorBehaviour { UserPresent = false });

        code.Should().Be(Fido2ErrorCode.UserPresentFlagNotSet);
    }

    private static Fido2 NewFido2(Action<Fido2Configuration>? configure = null)
    {
        var config = new Fido2Configuration
        {
            RPID = "localhost", // ServerDomain in 4.3.3 is obsolete (CS0618) in favour of RPID.
            RPName = "Test",
            Origins = new HashSet<string> { Origin },
        };
        configure?.Invoke(config);
        return new Fido2(config);
    }

    private CredentialCreateOptions RequestCreation(UserVerificationRequirement userVerification = UserVerificationRequirement.Required) =>
        _fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserId, Name = "ada@example.test", DisplayName = "Ada" },
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = userVerification,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });

    private AssertionOptions RequestAssertion(RegisteredPublicKeyCredential registered) =>
        _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [new PublicKeyCredentialDescriptor(registered.Id)],
            UserVerification = UserVerificationRequirement.Required,
        });

    private async Task<RegisteredPublicKeyCredential> RegisterAsync(
        SoftwareAuthenticator authenticator, CredentialCreateOptions options, AuthenticatorBehaviour? behaviour = null) =>
        await _fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
        {
            AttestationResponse = Deserialize<AuthenticatorAttestationRawResponse>(authenticator.CreateAttestationJson(options.ToJson(), behaviour)),
            OriginalOptions = options,
            IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true),
        });

    private async Task<VerifyAssertionResult> AssertAsync(
        RegisteredPublicKeyCredential registered, uint storedCounter, AuthenticatorBehaviour? behaviour = null)
    {
        var options = RequestAssertion(registered);
        return await _fido2.MakeAssertionAsync(new MakeAssertionParams
        {
            AssertionResponse = Deserialize<AuthenticatorAssertionRawResponse>(_authenticator.CreateAssertionJson(options.ToJson(), behaviour)),
            OriginalOptions = options,
            StoredPublicKey = registered.PublicKey,
            StoredSignatureCounter = storedCounter,
            IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle.SequenceEqual(UserId)),
        });
    }

    private async Task<Fido2ErrorCode> RegistrationRefusalAsync(
        AuthenticatorBehaviour behaviour, UserVerificationRequirement userVerification = UserVerificationRequirement.Required)
    {
        var options = RequestCreation(userVerification);
        var act = () => RegisterAsync(_authenticator, options, behaviour);
        return (await act.Should().ThrowAsync<Fido2VerificationException>()).Which.Code;
    }

    private async Task<Fido2ErrorCode> AssertionRefusalAsync(AuthenticatorBehaviour behaviour, uint? storedCounter = null)
    {
        var registered = await RegisterAsync(_authenticator, RequestCreation());
        var act = () => AssertAsync(registered, storedCounter ?? registered.SignCount, behaviour);
        return (await act.Should().ThrowAsync<Fido2VerificationException>()).Which.Code;
    }

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json) ?? throw new InvalidOperationException($"The authenticator wrote JSON that reads as null {typeof(T).Name}.");

    private static byte[] Base64UrlDecode(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);
}
