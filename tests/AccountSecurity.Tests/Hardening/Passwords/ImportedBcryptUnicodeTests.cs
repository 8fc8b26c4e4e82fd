using System.Text;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.SignIn;
using AccountSecurity.Tests.TestSupport;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 8, item 7: an imported raw bcrypt hash is checked against the UTF-8 of the password as typed first, then
/// against its NFKC form, each only within raw bcrypt's 72 bytes, and a match asks for a rehash into asv1.
/// BCrypt.Net's HashPassword over the raw string models libxcrypt and OpenBSD here: both hash the typed bytes.
/// </summary>
public sealed class ImportedBcryptUnicodeTests
{
    /// <summary>"ﬁ" (U+FB01, the fi ligature) is "fi" after NFKC.</summary>
    private const string Ligature = "\uFB01ne-violet-Anchor-29";
    private const string LigatureNfkc = "fine-violet-Anchor-29";

    private readonly BcryptPasswordHasher _hasher = CountingBcrypt.Hasher(new CountingBcrypt());

    private static string Imported(string password, char revision = 'b') => BCryptNet.HashPassword(password, BCryptNet.GenerateSalt(4, revision));

    [TestCase('a')]
    [TestCase('b')]
    [TestCase('y')]
    public void Verify_RawHashOfTheTypedLigature_MatchesAndAsksForRehash(char revision)
    {
        var imported = Imported(Ligature, revision);

        _hasher.Verify(imported, Ligature).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Test]
    public void Verify_RawHashOfTheNfkcForm_MatchesTheTypedLigatureToo()
    {
        // A system that normalised before hashing stored "fi": typing the ligature still signs in.
        _hasher.Verify(Imported(LigatureNfkc), Ligature).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        _hasher.Verify(Imported(LigatureNfkc), LigatureNfkc).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
    }

    [Test]
    public void Verify_RawHashOfTheTypedLigature_DoesNotMatchAPasswordTypedWithoutIt()
    {
        // The typed bytes were different: "fi" typed is not the password whose ligature bytes were hashed.
        _hasher.Verify(Imported(Ligature), LigatureNfkc).Should().Be(PasswordVerificationResult.Failed);
        _hasher.Verify(Imported(Ligature), Ligature + "x").Should().Be(PasswordVerificationResult.Failed);
    }

    [Test]
    public void Verify_TypedFormOver72BytesButNfkcWithin_OnlyTheNfkcFormCanMatch()
    {
        // 25 ligatures: 75 bytes as typed (raw bcrypt would read only 72 of them), 50 bytes as "fi"×25.
        var typed = string.Concat(Enumerable.Repeat("\uFB01", 25));
        var nfkc = typed.Normalize(NormalizationForm.FormKC);
        Encoding.UTF8.GetByteCount(typed).Should().BeGreaterThan(72);
        Encoding.UTF8.GetByteCount(nfkc).Should().BeLessThanOrEqualTo(72);

        _hasher.Verify(Imported(nfkc), typed).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        _hasher.Verify(Imported(typed), typed).Should().Be(PasswordVerificationResult.Failed, "the typed form is over 72 bytes: raw bcrypt cannot tell it apart");
    }

    [Test]
    public void Verify_TypedFormWithinButNfkcOver72Bytes_OnlyTheTypedFormCanMatch()
    {
        // U+FDFA is one 3-byte character that NFKC expands into a whole Arabic phrase.
        var typed = "\uFDFA\uFDFA\uFDFA";
        var nfkc = typed.Normalize(NormalizationForm.FormKC);
        Encoding.UTF8.GetByteCount(typed).Should().BeLessThanOrEqualTo(72);
        Encoding.UTF8.GetByteCount(nfkc).Should().BeGreaterThan(72);

        _hasher.Verify(Imported(typed), typed).Should().Be(PasswordVerificationResult.SuccessRehashNeeded);
        _hasher.Verify(Imported(nfkc), typed).Should().Be(PasswordVerificationResult.Failed, "the NFKC form is over 72 bytes: raw bcrypt cannot tell it apart");
    }

    [Test]
    public void Verify_CurrentSchemeHash_StillNormalises()
    {
        var current = _hasher.Hash(Ligature).Value;

        _hasher.Verify(current, Ligature).Should().Be(PasswordVerificationResult.Success);
        _hasher.Verify(current, LigatureNfkc).Should().Be(PasswordVerificationResult.Success);
    }

    [Test]
    public async Task SignIn_WithImportedLibxcryptLigatureHash_SucceedsAndUpgradesToAsv1()
    {
        await using var host = TestHost.Create();
        await host.SeedContractAsync();
        await host.ModifyUserAsync(TestHost.UserId, u => u with { PasswordHash = Imported(Ligature) });

        var result = await host.Get<ISignInService>().PasswordSignInAsync(TestHost.UserEmail, Ligature);

        result.Status.Should().Be(SignInStatus.Succeeded, result.ErrorCode);
        var stored = (await host.UserAsync()).PasswordHash;
        stored.Should().StartWith(BcryptPasswordHasher.CurrentSchemeMarker);
        host.Hasher.Verify(stored, Ligature).Should().Be(PasswordVerificationResult.Success);
        host.Events.OfType(SecurityEventType.PasswordRehashed).Should().ContainSingle();
    }
}
