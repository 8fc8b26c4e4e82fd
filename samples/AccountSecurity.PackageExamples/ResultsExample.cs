using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.PackageExamples;

/// <summary>docs/error-codes.md's example: a host's own endpoint that answers a failed result with the package's problem details.</summary>
public static class ResultsExample
{
    /// <summary>Maps the example endpoint on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        // snippet:begin results
        app.MapPost("/my/password", async (HttpContext context, PasswordForm form, IPasswordChangeService passwords) =>
        {
            var session = context.User.GetRequiredAccountSecuritySession();   // non-null behind the policy
            var result = await passwords.ChangePasswordAsync(session, form.Current, form.Proposed, form.Repeated);
            if (result.HasError(SecurityErrorCodes.PasswordWrongCurrent))
            {
                // switch on the stable code when the page wants to do more than show the message
            }

            if (result.Succeeded)
            {
                return TypedResults.NoContent();
            }

            return result.ToProblem();                                        // 400 with code, errors[], field
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
        // snippet:end
    }

    /// <summary>The example endpoint's form.</summary>
    /// <param name="Current">The current password.</param>
    /// <param name="Proposed">The new password.</param>
    /// <param name="Repeated">The new password again.</param>
    public sealed record PasswordForm(string? Current, string? Proposed, string? Repeated)
    {
        /// <inheritdoc />
        public override string ToString() => "PasswordForm";
    }
}
