using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.Endpoints;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AccountSecurity.AspNetCore.Authentication;

/// <summary>Cookie events that answer API requests with 401/403 problem details instead of redirecting them to an HTML page.</summary>
internal static class ApiAwareCookieEvents
{
    public static void Apply(CookieAuthenticationEvents events, bool hasLoginPath, bool hasAccessDeniedPath, PathString twoFactorSetupPath, PathString passwordChangePath)
    {
        events.OnRedirectToLogin = context =>
        {
            // A session rejected on this request may go to the host's page that says why (OnSessionRejected).
            if (AccountSecuritySessionValidator.RedirectPathOf(context.HttpContext) is { } ended && !IsApiRequest(context.Request))
            {
                context.Response.Redirect((context.Request.PathBase + ended).ToString());
                return Task.CompletedTask;
            }

            // A browser goes to the sign-in page with the page it asked for (path and query, encoded) to come back to;
            // a relative Location, so it never depends on the Host header. The sign-in page must accept only a local path.
            if (hasLoginPath && context.Options.LoginPath.HasValue && !IsApiRequest(context.Request))
            {
                var request = context.Request;
                var returnUrl = context.Properties.RedirectUri is { Length: > 0 } asked
                    ? asked
                    : (request.PathBase + request.Path + request.QueryString).ToString();
                var login = request.PathBase + context.Options.LoginPath + QueryString.Create(context.Options.ReturnUrlParameter, returnUrl);
                context.Response.Redirect(login);
                return Task.CompletedTask;
            }

            return Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, SecurityErrorCodes.NotAuthenticated, UserMessages.SignInFirst);
        };
        events.OnRedirectToAccessDenied = context =>
        {
            // Refused only because the user must change a breached password or set up forced 2FA first: the session stays,
            // and goes to that task. The password comes first when both apply: attackers know it, and must not get to set
            // up a second factor of their own with it.
            if (ForcedPasswordChangeRequirement.WasRefused(context.HttpContext))
            {
                return SendToTask(context, passwordChangePath, SecurityErrorCodes.PasswordChangeRequired, UserMessages.PasswordChangeRequiredToContinue);
            }

            if (ForcedTwoFactorSetupRequirement.WasRefused(context.HttpContext))
            {
                return SendToTask(context, twoFactorSetupPath, SecurityErrorCodes.TwoFactorSetupRequired, UserMessages.TwoFactorSetupRequiredToContinue);
            }

            return Answer(context, hasAccessDeniedPath, StatusCodes.Status403Forbidden, SecurityErrorCodes.NotAuthorized, UserMessages.Forbidden);
        };
    }

    /// <summary>Whether the request is an API call rather than a browser page: our endpoints, XHR/fetch, or no HTML accepted.</summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        if (request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AccountSecurityApiEndpointMetadata>() is not null)
        {
            return true;
        }

        if (string.Equals(request.Headers[HeaderNames.XRequestedWith], "XMLHttpRequest", StringComparison.Ordinal))
        {
            return true;
        }

        var accept = request.Headers.Accept.ToString();
        return !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A browser page goes to the task's page when the host has one; an API request (or without a page) gets 403 with the code.</summary>
    private static Task SendToTask(RedirectContext<CookieAuthenticationOptions> context, PathString taskPath, string code, string message)
    {
        if (taskPath.HasValue && !IsApiRequest(context.Request))
        {
            context.Response.Redirect((context.Request.PathBase + taskPath).ToString());
            return Task.CompletedTask;
        }

        return Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, code, message);
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, bool hasPath, int status, string code, string message)
    {
        if (hasPath && !IsApiRequest(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        return Problems.WriteAsync(context.HttpContext, status, code, message);
    }
}
