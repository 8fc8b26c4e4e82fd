namespace AccountSecurity.WebSample;

/// <summary>
/// The console's texts (<c>Resources/SharedTexts.resx</c>, English, and <c>SharedTexts.de.resx</c>, German): pages and
/// POST handlers ask <c>IStringLocalizer&lt;SharedTexts&gt;</c> for a text by its English wording.
/// </summary>
public sealed class SharedTexts
{
}
