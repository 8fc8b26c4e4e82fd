using AccountSecurity.Results;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>
/// Inputs no password may be. Built in code, not in attributes: attribute strings are stored as UTF-8 metadata,
/// which silently turns a lone surrogate into U+FFFD.
/// </summary>
internal static class UnusableInputs
{
    public static IEnumerable<TestCaseData> WithCodes()
    {
        yield return new TestCaseData(null, SecurityErrorCodes.PasswordRequired).SetArgDisplayNames("null");
        yield return new TestCaseData(string.Empty, SecurityErrorCodes.PasswordRequired).SetArgDisplayNames("empty");
        yield return new TestCaseData("violet-Anchor\0-29-quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("NUL");
        yield return new TestCaseData("violet-Anchor-" + '\uD800' + "-quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("lone high surrogate");
        yield return new TestCaseData("violet-Anchor-" + '\uDC00' + "-quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("lone low surrogate");
        yield return new TestCaseData("violet-Anchor-29-quiet" + '\uD83D', SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("trailing high surrogate");
        yield return new TestCaseData("violet-Anchor-29-quiet" + '\uFFFE', SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("noncharacter U+FFFE");
        yield return new TestCaseData("violet-Anchor-29-" + '\uFFFF' + "quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("noncharacter U+FFFF");
        yield return new TestCaseData("violet-Anchor-29-" + '\uFDD0' + "quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("noncharacter U+FDD0");
        yield return new TestCaseData("violet-Anchor-29-" + char.ConvertFromUtf32(0x10FFFE) + "quiet", SecurityErrorCodes.PasswordInvalidCharacters).SetArgDisplayNames("noncharacter U+10FFFE");
        yield return new TestCaseData(new string('k', 10_000), SecurityErrorCodes.PasswordTooLong).SetArgDisplayNames("10,000 characters");
    }
}
