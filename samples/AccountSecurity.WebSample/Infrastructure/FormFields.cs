namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>Reading a posted field, and the name of the antiforgery field the form tag helper writes into every form.</summary>
public static class FormFields
{
    /// <summary>The name of the hidden antiforgery field of every form.</summary>
    public const string AntiforgeryField = "__csrf";

    /// <summary>A posted field, or <see langword="null"/> when absent.</summary>
    public static async Task<string?> FieldAsync(HttpContext context, string name)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return form.TryGetValue(name, out var value) ? value.ToString() : null;
    }
}
