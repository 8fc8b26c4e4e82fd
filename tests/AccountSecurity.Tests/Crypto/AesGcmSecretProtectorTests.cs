using System.Security.Cryptography;
using AccountSecurity.Crypto;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Results;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Tests.Crypto;

public sealed class AesGcmSecretProtectorTests
{
    private const string Context = "totp:user-1";
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(20);

    private static AesGcmSecretProtector Protector(Action<SecretProtectionOptions> configure)
    {
        var options = new AccountSecurityOptions();
        configure(options.SecretProtection);
        return new AesGcmSecretProtector(Microsoft.Extensions.Options.Options.Create(options));
    }

    private static AesGcmSecretProtector Protector(byte[]? key = null) =>
        Protector(o => o.AddKey("k1", key ?? RandomNumberGenerator.GetBytes(32)));

    [Test]
    public void Protect_ThenUnprotect_RoundTrips()
    {
        using var protector = Protector();

        var stored = protector.Protect(Secret, Context);
        using var result = protector.Unprotect(stored, Context);

        result.Succeeded.Should().BeTrue();
        result.Secret.ToArray().Should().Equal(Secret);
        result.KeyId.Should().Be("k1");
        result.ShouldReprotect.Should().BeFalse();
    }

    [Test]
    public void Protect_Always_HasVersionKeyIdAndBase64UrlPayloadOfNonceCiphertextTag()
    {
        using var protector = Protector();

        var stored = protector.Protect(Secret, Context);

        stored.Should().MatchRegex("^v1\\.k1\\.[A-Za-z0-9_-]+$");
        System.Buffers.Text.Base64Url.DecodeFromChars(stored.AsSpan("v1.k1.".Length)).Should().HaveCount(12 + Secret.Length + 16);
        stored.Should().NotContain(Convert.ToBase64String(Secret)).And.NotContain(Convert.ToHexString(Secret));
    }

    [Test]
    public void Protect_SameSecretTwice_GivesDifferentCiphertexts()
    {
        using var protector = Protector();

        protector.Protect(Secret, Context).Should().NotBe(protector.Protect(Secret, Context));
    }

    [Test]
    public void ProtectUnprotect_AnySecretAndContext_RoundTrips()
    {
        using var protector = Protector();
        Prop.ForAll<byte[], string>((bytes, context) =>
        {
            if (bytes is null || bytes.Length is 0 or > 1024 || context is null)
            {
                return true;
            }

            using var result = protector.Unprotect(protector.Protect(bytes, context), context);
            return result.Succeeded && result.Secret.SequenceEqual(bytes);
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void Unprotect_AnyFlippedBit_FailsAuthenticationOrFormat()
    {
        using var protector = Protector();
        var stored = protector.Protect(Secret, Context);
        var prefix = "v1.k1.";
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(stored.AsSpan(prefix.Length));

        for (var i = 0; i < payload.Length; i++)
        {
            var tampered = (byte[])payload.Clone();
            tampered[i] ^= 0x01;
            using var result = protector.Unprotect(prefix + System.Buffers.Text.Base64Url.EncodeToString(tampered), Context);

            result.Status.Should().Be(SecretUnprotectStatus.AuthenticationFailed, $"byte {i} was flipped");
            result.ErrorCode.Should().Be(SecurityErrorCodes.ProtectedSecretAuthenticationFailed);
        }
    }

    [Test]
    public void Unprotect_WithAnotherUsersContext_FailsAuthentication()
    {
        using var protector = Protector();
        var stored = protector.Protect(Secret, "totp:user-1");

        using var result = protector.Unprotect(stored, "totp:user-2");

        result.Status.Should().Be(SecretUnprotectStatus.AuthenticationFailed);
        result.Invoking(r => r.Secret.ToArray()).Should().Throw<InvalidOperationException>();
    }

    [Test]
    public void Unprotect_KeyIdInHeaderSwapped_Fails()
    {
        var k1 = RandomNumberGenerator.GetBytes(32);
        using var protector = Protector(o => o.AddKey("k1", k1).AddKey("k2", k1, makeCurrent: false));
        var stored = protector.Protect(Secret, Context);

        // Same key bytes under another id: the key id is authenticated data, so relabelling is detected.
        using var result = protector.Unprotect(stored.Replace("v1.k1.", "v1.k2.", StringComparison.Ordinal), Context);

        result.Status.Should().Be(SecretUnprotectStatus.AuthenticationFailed);
    }

    [Test]
    public void Unprotect_UnderAnotherKeyWithSameId_FailsAuthentication()
    {
        using var original = Protector();
        using var other = Protector();

        using var result = other.Unprotect(original.Protect(Secret, Context), Context);

        result.Status.Should().Be(SecretUnprotectStatus.AuthenticationFailed);
    }

    [Test]
    public void Unprotect_UnknownKeyId_FailsWithUnknownKey()
    {
        using var oldProtector = Protector(o => o.AddKey("old", RandomNumberGenerator.GetBytes(32)));
        using var newProtector = Protector(o => o.AddKey("new", RandomNumberGenerator.GetBytes(32)));

        using var result = newProtector.Unprotect(oldProtector.Protect(Secret, Context), Context);

        result.Status.Should().Be(SecretUnprotectStatus.UnknownKey);
        result.KeyId.Should().Be("old");
        result.ErrorCode.Should().Be(SecurityErrorCodes.ProtectedSecretUnknownKey);
    }

    [Test]
    public void Unprotect_AfterRotation_ReadsOldSecretAndAdvisesReprotection()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        using var before = Protector(o => o.AddKey("2024", oldKey));
        var stored = before.Protect(Secret, Context);

        using var after = Protector(o => o.AddKey("2024", oldKey).AddKey("2025", RandomNumberGenerator.GetBytes(32)));
        using var result = after.Unprotect(stored, Context);

        result.Succeeded.Should().BeTrue();
        result.Secret.ToArray().Should().Equal(Secret);
        result.KeyId.Should().Be("2024");
        result.ShouldReprotect.Should().BeTrue();

        var reprotected = after.Protect(result.Secret, Context);
        reprotected.Should().StartWith("v1.2025.");
        using var again = after.Unprotect(reprotected, Context);
        again.ShouldReprotect.Should().BeFalse();
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("v1")]
    [TestCase("v1.")]
    [TestCase("v1..abc")]
    [TestCase("v2.k1.AAAA")]
    [TestCase("v1.k1.")]
    [TestCase("v1.k1.AAAA")]
    [TestCase("v1.k1.!!!!")]
    [TestCase("v1.k 1.AAAA")]
    [TestCase("v1.k1.AAAA.BBBB")]
    [TestCase("v1.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Unprotect_MalformedInput_FailsWithoutException(string? input)
    {
        using var protector = Protector();

        using var result = protector.Unprotect(input, Context);

        result.Succeeded.Should().BeFalse();
        result.Status.Should().BeOneOf(SecretUnprotectStatus.Malformed, SecretUnprotectStatus.AuthenticationFailed);
    }

    [Test]
    public void Unprotect_HugeInput_IsMalformed()
    {
        using var protector = Protector();

        using var result = protector.Unprotect("v1.k1." + new string('A', 10_000_000), Context);

        result.Status.Should().Be(SecretUnprotectStatus.Malformed);
    }

    [Test]
    public void Unprotect_RandomStrings_NeverThrow()
    {
        using var protector = Protector();
        Prop.ForAll<string>(s =>
        {
            using var result = protector.Unprotect(s, Context);
            using var prefixed = protector.Unprotect("v1.k1." + s, Context);
            return !result.Succeeded && !prefixed.Succeeded;
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void Protect_InvalidArguments_Throw()
    {
        using var protector = Protector();

        protector.Invoking(p => p.Protect(ReadOnlySpan<byte>.Empty, Context)).Should().Throw<ArgumentException>();
        protector.Invoking(p => p.Protect(new byte[1025], Context)).Should().Throw<ArgumentException>();
        protector.Invoking(p => p.Protect(Secret, null!)).Should().Throw<ArgumentNullException>();
    }

    [Test]
    public void Dispose_Result_ZeroesPlaintext()
    {
        using var protector = Protector();
        var result = protector.Unprotect(protector.Protect(Secret, Context), Context);

        result.Dispose();

        result.Invoking(r => r.Secret.ToArray()).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void ResultToString_NeverContainsThePlaintext()
    {
        using var protector = Protector();
        using var success = protector.Unprotect(protector.Protect(Secret, Context), Context);
        using var failure = protector.Unprotect("v1.k1.AAAA", Context);

        foreach (var text in new[] { success.ToString(), failure.ToString() })
        {
            text.Should().NotContain(Convert.ToBase64String(Secret)).And.NotContain(Convert.ToHexString(Secret));
        }

        success.ToString().Should().Contain("k1");
    }

    [Test]
    public void AddAccountSecurity_RegistersProtectorAsSingleton()
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
        {
            o.Totp.Issuer = "Example";
            o.SecretProtection.AddKey("k1", RandomNumberGenerator.GetBytes(32));
        });
        using var provider = services.BuildServiceProvider();

        var protector = provider.GetRequiredService<ISecretProtector>();

        protector.Should().BeOfType<AesGcmSecretProtector>().And.BeSameAs(provider.GetRequiredService<ISecretProtector>());
        using var result = protector.Unprotect(protector.Protect(Secret, Context), Context);
        result.Succeeded.Should().BeTrue();
    }
}

public sealed class SecretProtectionOptionsTests
{
    private static IReadOnlyList<string> Validate(Action<SecretProtectionOptions> configure)
    {
        var options = new AccountSecurityOptions();
        options.Totp.Issuer = "Example";
        configure(options.SecretProtection);
        var result = new AccountSecurityOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures.ToList() : [];
    }

    [Test]
    public void Validate_NoKey_FailsOnceSayingHowToAddOneInCodeAndInConfiguration() =>
        Validate(_ => { }).Should().ContainSingle().Which.Should()
            .Contain("SecretProtection.Keys is empty").And.Contain("AddKey(").And.Contain("SecretProtection:CurrentKeyId")
            .And.NotContain("CurrentKeyId is required");

    [Test]
    public void Validate_GeneratedKey_Passes() =>
        Validate(o => { o.Keys["k"] = SecretProtectionOptions.GenerateKey(); o.CurrentKeyId = "k"; }).Should().BeEmpty();

    [Test]
    public void GenerateKey_Always_Is32RandomBytesInBase64()
    {
        var first = SecretProtectionOptions.GenerateKey();

        Convert.FromBase64String(first).Should().HaveCount(32);
        SecretProtectionOptions.GenerateKey().Should().NotBe(first);
    }

    [Test]
    public void Validate_InvalidKeys_FailWithoutKeyMaterialInMessages()
    {
        var shortKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var notBase64 = "this-is-not-base64-but-secret-material!";
        var goodKey = SecretProtectionOptions.GenerateKey();

        var failures = Validate(o =>
        {
            o.Keys["short"] = shortKey;
            o.Keys["garbage"] = notBase64;
            o.Keys["good"] = goodKey;
            o.CurrentKeyId = "missing";
        });

        failures.Should().HaveCount(3);
        failures.Should().Contain(m => m.Contains("'short'", StringComparison.Ordinal));
        failures.Should().Contain(m => m.Contains("'garbage'", StringComparison.Ordinal));
        failures.Should().Contain(m => m.Contains("CurrentKeyId ('missing') names a key that is not", StringComparison.Ordinal));
        var all = string.Join("\n", failures);
        all.Should().NotContain(shortKey).And.NotContain(notBase64).And.NotContain(goodKey);
    }

    [Test]
    public void Validate_NoCurrentKeyId_FailsNamingTheConfiguredKeys() =>
        Validate(o => o.AddKey("k", RandomNumberGenerator.GetBytes(32), makeCurrent: false)).Should().ContainSingle()
            .Which.Should().Contain("SecretProtection.CurrentKeyId is required").And.Contain("'k'");

    [Test]
    public void Validate_InvalidKeyId_Fails() =>
        Validate(o => { o.Keys["a.b"] = SecretProtectionOptions.GenerateKey(); o.CurrentKeyId = "a.b"; }).Should().ContainSingle()
            .Which.Should().Contain("key id must be");

    [Test]
    public void AddKey_NullMalformedOrDuplicateId_Throws()
    {
        var options = new SecretProtectionOptions();

        options.Invoking(o => o.AddKey(null!, new byte[32])).Should().Throw<ArgumentNullException>();
        options.Invoking(o => o.AddKey("bad id", new byte[32])).Should().Throw<ArgumentException>();
        options.AddKey("k", new byte[32]);
        options.Invoking(o => o.AddKey("k", new byte[32])).Should().Throw<ArgumentException>();
    }

    [TestCase(31)]
    [TestCase(16)]
    [TestCase(0)]
    public void AddKey_WrongLength_FailsTheStartWithTheSizeAndWithoutKeyMaterial(int length)
    {
        var key = RandomNumberGenerator.GetBytes(length);
        var services = new ServiceCollection();
        services.AddAccountSecurity(o =>
        {
            o.Totp.Issuer = "Example";
            o.SecretProtection.AddKey("k1", key);
        });
        using var provider = services.BuildServiceProvider();

        var failure = provider.Invoking(p => p.GetRequiredService<IStartupValidator>().Validate())
            .Should().Throw<OptionsValidationException>().Which;

        var size = length == 0 ? "it is empty" : $"it is {length} bytes";
        failure.Failures.Should().ContainSingle().Which.Should().Be(
            $"SecretProtection.Keys['k1'] must be 32 bytes (AES-256); {size}. Generate one with SecretProtectionOptions.GenerateKey().");
        if (length > 0)
        {
            failure.Message.Should().NotContain(Convert.ToBase64String(key));
        }
    }

    [Test]
    public void Validate_ConfiguredKeyOfWrongLength_ReportsItsSizeAsAddKeyDoes()
    {
        var failures = Validate(o =>
        {
            o.Keys["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
            o.CurrentKeyId = "k1";
        });

        failures.Should().ContainSingle().Which.Should().Be(
            "SecretProtection.Keys['k1'] must be 32 bytes (AES-256); it is 48 bytes. Generate one with SecretProtectionOptions.GenerateKey().");
    }

    [Test]
    public void AddAccountSecurity_WithoutKey_FailsStartValidationWithClearMessage()
    {
        var services = new ServiceCollection();
        services.AddAccountSecurity(o => o.Totp.Issuer = "Example");
        using var provider = services.BuildServiceProvider();

        provider.Invoking(p => p.GetRequiredService<IStartupValidator>().Validate())
            .Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("SecretProtection.Keys is empty");
    }
}
