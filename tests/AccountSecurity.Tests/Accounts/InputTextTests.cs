using AccountSecurity.Accounts;

namespace AccountSecurity.Tests.Accounts;

public sealed class InputTextTests
{
    [Test]
    public void IsWellFormed_RefusesNoncharactersAndLoneSurrogates_AcceptsOtherText()
    {
        InputText.IsWellFormed("plain text, ﬁ ligature, 😀 emoji, " + '\uFFFD').Should().BeTrue();
        InputText.IsWellFormed(string.Empty).Should().BeTrue();
        InputText.IsWellFormed("a" + '\uFFFE').Should().BeFalse();
        InputText.IsWellFormed("a" + '\uFFFF').Should().BeFalse();
        InputText.IsWellFormed("a" + '\uFDD0').Should().BeFalse();
        InputText.IsWellFormed("a" + '\uFDEF').Should().BeFalse();
        InputText.IsWellFormed("a" + char.ConvertFromUtf32(0x1FFFF)).Should().BeFalse();
        InputText.IsWellFormed("a" + char.ConvertFromUtf32(0x10FFFE)).Should().BeFalse();
        InputText.IsWellFormed("a" + '\uD800').Should().BeFalse();
        InputText.IsWellFormed("a" + '\uDC00' + "b").Should().BeFalse();
    }
}
