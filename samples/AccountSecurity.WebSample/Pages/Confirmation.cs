namespace AccountSecurity.WebSample.Pages;

/// <summary>What <c>_Confirmation.cshtml</c> asks (every text already in the user's language).</summary>
/// <param name="Question">The question.</param>
/// <param name="Consequence">What will happen.</param>
/// <param name="Action">Where the confirmation posts.</param>
/// <param name="Fields">The hidden fields of the post.</param>
/// <param name="ConfirmLabel">The button's text.</param>
/// <param name="CancelHref">The way back.</param>
public sealed record Confirmation(string Question, string Consequence, string Action, IReadOnlyList<HiddenField> Fields, string ConfirmLabel, string CancelHref);
