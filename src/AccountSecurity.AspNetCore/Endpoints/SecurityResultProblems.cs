using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// Turns a failed <see cref="SecurityResult"/> into the package's RFC 9457 problem details: the one mapping the bundled
/// endpoints use, for a host's own endpoints too. The body has <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>
/// (the first error's message), <c>code</c> (its stable code), <c>errors</c> (every error, with the <c>field</c> it is
/// about when one is to blame) and <c>lockedOutUntil</c>; <c>busy</c> and <c>rate_limited</c> (with the error's <see cref="SecurityError.RetryAfter"/>) also set <c>Retry-After</c>. Every answer carries
/// <c>Cache-Control: no-store</c>. Never writes a secret: errors carry codes and messages only.
/// </summary>
public static class SecurityResultProblems
{
    /// <summary>
    /// The HTTP status for a failed result. A sign-in step's failure is 401 (a lock 403); a support PIN check answers 422
    /// for a wrong or missing PIN and 423 while locked; otherwise by the first error's code
    /// (<see cref="StatusCodeFor(string)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> succeeded: there is no problem to describe.</exception>
    public static int StatusCodeFor(SecurityResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            throw new ArgumentException("Only a failed result has a problem status.", nameof(result));
        }

        var code = result.Errors[0].Code;
        return result switch
        {
            _ when code == SecurityErrorCodes.Busy => StatusCodes.Status503ServiceUnavailable,
            SignInResult { Status: SignInStatus.LockedOut } => StatusCodes.Status403Forbidden,
            SignInResult { Status: SignInStatus.Failed } => StatusCodes.Status401Unauthorized,
            SupportPinVerificationResult { Outcome: SupportPinVerificationOutcome.WrongPin or SupportPinVerificationOutcome.NoPinSet } => StatusCodes.Status422UnprocessableEntity,
            SupportPinVerificationResult { Outcome: SupportPinVerificationOutcome.LockedOut } => StatusCodes.Status423Locked,
            SupportPinVerificationResult { Outcome: SupportPinVerificationOutcome.Busy } => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodeFor(code),
        };
    }

    /// <summary>
    /// The HTTP status a code answers with outside the sign-in steps and the support PIN check: 401
    /// <c>not_authenticated</c> and <c>reauthentication_required</c> (the latter with the problem type
    /// <c>urn:accountsecurity:problem:reauthentication-required</c>: re-authenticate, then repeat); 403 <c>not_authorized</c>, <c>locked_out</c>, <c>two_factor_setup_required</c> and
    /// <c>support_agent_not_authorized</c> and <c>registration_disabled</c>; 404 <c>not_found</c>; 409 <c>concurrency_conflict</c> and
    /// <c>duplicate</c>; 429 <c>rate_limited</c>; 503 <c>busy</c>; 400 for every other code (the request can be fixed).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is <see langword="null"/>.</exception>
    public static int StatusCodeFor(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code switch
        {
            SecurityErrorCodes.NotAuthenticated or SecurityErrorCodes.ReauthenticationRequired => StatusCodes.Status401Unauthorized,
            SecurityErrorCodes.NotAuthorized or SecurityErrorCodes.LockedOut or SecurityErrorCodes.TwoFactorSetupRequired or SecurityErrorCodes.PasswordChangeRequired or SecurityErrorCodes.SupportAgentNotAuthorized or SecurityErrorCodes.RegistrationDisabled => StatusCodes.Status403Forbidden,
            SecurityErrorCodes.NotFound => StatusCodes.Status404NotFound,
            SecurityErrorCodes.ConcurrencyConflict or SecurityErrorCodes.Duplicate => StatusCodes.Status409Conflict,
            SecurityErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
            SecurityErrorCodes.Busy => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>Writes <paramref name="result"/>'s problem details to the response.</summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> succeeded.</exception>
    public static Task WriteProblemAsync(this HttpContext context, SecurityResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        StatusCodeFor(result);
        return Problems.FromResultAsync(context, result);
    }

    /// <summary>
    /// <paramref name="result"/>'s problem details as a minimal-API <see cref="IResult"/>, for a handler's
    /// <c>return result.Succeeded ? Results.Ok(...) : result.ToProblem();</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> succeeded.</exception>
    public static IResult ToProblem(this SecurityResult result)
    {
        StatusCodeFor(result);
        return new ProblemResult(result);
    }

    private sealed class ProblemResult(SecurityResult result) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => Problems.FromResultAsync(httpContext, result);
    }
}
