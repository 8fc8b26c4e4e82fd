using System.Globalization;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.Auditing;
using AccountSecurity.Events;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static AccountSecurity.AspNetCore.Endpoints.ApiOperations;
using static AccountSecurity.Results.SecurityErrorCodes;
using static Microsoft.AspNetCore.Routing.AccountSecurityEndpointRouteBuilderExtensions;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// The audit trail over the JSON API (<see cref="IAuditTrailService"/>, which decides who may see what): a contract's
/// administrators page through, export and verify its records; every signed-in user pages through their own; the owner
/// sets the retention. Filters are query parameters: <c>userId</c>, <c>eventType</c> (repeatable, by name),
/// <c>from</c> and <c>to</c> (ISO 8601 instants), <c>cursor</c> and <c>pageSize</c>.
/// </summary>
internal static class AuditEndpoints
{
    public static readonly ApiOperation Query = Op("AuditQuery", "A page of the contract's security activity, newest first (owner and administrators), filtered by userId, eventType, from and to.", null, 200, typeof(AuditPageResponse),
        [(400, [AuditQueryInvalid]), .. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation Own = Op("AuditOwn", "A page of the signed-in user's own security activity, newest first, filtered by eventType, from and to.", null, 200, typeof(AuditPageResponse),
        [(400, [AuditQueryInvalid]), .. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation Export = Op("AuditExport", "Exports the contract's security activity matching the filters as JSON lines (format=jsonl, application/jsonl) or CSV (format=csv, text/csv) (owner and administrators).", null, 200, null,
        [(400, [AuditQueryInvalid]), .. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation Verify = Op("AuditVerify", "Verifies the contract's audit hash chain and reports the first broken link (owner and administrators).", null, 200, typeof(AuditVerificationResponse),
        [.. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation RetentionGet = Op("AuditRetentionGet", "How many days the contract keeps security activity, and the bounds (owner and administrators).", null, 200, typeof(AuditRetentionResponse),
        [.. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation RetentionSet = Op("AuditRetentionSet", "Sets how many days the contract keeps security activity (contract owner); without retentionDays it returns to the default.", typeof(AuditRetentionRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [AuditRetentionInvalid]), .. SignedIn, PasswordChangeGated, SetupGated, Stale]);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/audit", QueryAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(Query);
        group.MapGet("/audit/me", OwnAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(Own);
        group.MapGet("/audit/export", ExportAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(Export);
        group.MapGet("/audit/verify", VerifyAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(Verify);
        group.MapGet("/audit/retention", GetRetentionAsync).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(RetentionGet);
        group.MapPost("/audit/retention", Antiforgery(SetRetentionAsync)).RequireAuthorization(AccountSecurityPolicies.SignedIn).Describe(RetentionSet);
    }

    private static async Task QueryAsync(HttpContext context)
    {
        if (await QueryOfAsync(context).ConfigureAwait(false) is not { } query)
        {
            return;
        }

        var result = await Service(context).QueryContractAsync(context.User.GetRequiredAccountSecuritySession(), query, context.RequestAborted).ConfigureAwait(false);
        await PageAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task OwnAsync(HttpContext context)
    {
        if (await QueryOfAsync(context).ConfigureAwait(false) is not { } query)
        {
            return;
        }

        var result = await Service(context).QueryOwnAsync(context.User.GetRequiredAccountSecuritySession(), query, context.RequestAborted).ConfigureAwait(false);
        await PageAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task ExportAsync(HttpContext context)
    {
        if (await QueryOfAsync(context).ConfigureAwait(false) is not { } query)
        {
            return;
        }

        var format = context.Request.Query["format"].ToString() switch
        {
            "" or "jsonl" => AuditExportFormat.JsonLines,
            "csv" => AuditExportFormat.Csv,
            _ => (AuditExportFormat?)null,
        };
        if (format is not { } chosen)
        {
            await Problems.FromResultAsync(context, Invalid("Choose format=jsonl or format=csv.", "format")).ConfigureAwait(false);
            return;
        }

        // The same rules first, with a page of one: a refusal or a malformed filter answers a problem before any of the
        // body is written (which a started body could not), and the export then streams without holding it in memory.
        var session = context.User.GetRequiredAccountSecuritySession();
        var allowed = await Service(context).QueryContractAsync(session, query with { Cursor = null, PageSize = 1 }, context.RequestAborted).ConfigureAwait(false);
        if (!allowed.Succeeded)
        {
            await Problems.FromResultAsync(context, allowed).ConfigureAwait(false);
            return;
        }

        var extension = chosen == AuditExportFormat.Csv ? "csv" : "jsonl";
        context.Response.ContentType = chosen == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"security-activity.{extension}\"";
        context.Response.Headers.CacheControl = "no-store";
        await Service(context).ExportAsync(session, query, chosen, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task VerifyAsync(HttpContext context)
    {
        var result = await Service(context).VerifyChainAsync(context.User.GetRequiredAccountSecuritySession(), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        var v = result.Value;
        await context.Response.WriteAsJsonAsync(
            new AuditVerificationResponse
            {
                Intact = v.IsIntact,
                RecordsChecked = v.RecordsChecked,
                BrokenAtSequence = v.BrokenAtSequence,
                Break = v.Break switch
                {
                    AuditChainBreak.Altered => "altered",
                    AuditChainBreak.Missing => "missing",
                    AuditChainBreak.Unexpected => "unexpected",
                    AuditChainBreak.HeadMismatch => "head_mismatch",
                    _ => "none",
                },
            },
            AuditJsonContext.Default.AuditVerificationResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task GetRetentionAsync(HttpContext context)
    {
        var result = await Service(context).GetRetentionAsync(context.User.GetRequiredAccountSecuritySession(), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new AuditRetentionResponse { RetentionDays = result.Value.RetentionDays, IsDefault = result.Value.IsDefault, MinDays = result.Value.MinDays, MaxDays = result.Value.MaxDays },
            AuditJsonContext.Default.AuditRetentionResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SetRetentionAsync(HttpContext context)
    {
        var body = await ReadAsync(context, AuditJsonContext.Default.AuditRetentionRequest).ConfigureAwait(false);
        if (body is null || body.NullGiven())
        {
            await Problems.InvalidInputAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await Service(context).SetRetentionAsync(context.User.GetRequiredAccountSecuritySession(), body.RetentionDays, context.RequestAborted).ConfigureAwait(false);
        await EmptyAnswerAsync(context, result).ConfigureAwait(false);
    }

    private static async Task PageAnswerAsync(HttpContext context, SecurityResult<AuditPage> result)
    {
        if (!result.Succeeded)
        {
            await Problems.FromResultAsync(context, result).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(AuditPageResponse.From(result.Value), AuditJsonContext.Default.AuditPageResponse, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The query of the request's parameters; <see langword="null"/> (after answering 400) when one cannot be read.</summary>
    private static async Task<AuditQuery?> QueryOfAsync(HttpContext context)
    {
        var parameters = context.Request.Query;
        var types = new List<SecurityEventType>();
        foreach (var name in parameters["eventType"])
        {
            if (!Enum.TryParse<SecurityEventType>(name, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(name, out _))
            {
                await Problems.FromResultAsync(context, Invalid("An eventType is not a known event type name.", "eventType")).ConfigureAwait(false);
                return null;
            }

            types.Add(type);
        }

        DateTimeOffset? from = null, to = null;
        if (!TryInstant(parameters["from"], out from) || !TryInstant(parameters["to"], out to))
        {
            await Problems.FromResultAsync(context, Invalid("from and to are ISO 8601 instants with an offset (2026-12-07T10:42:00Z).", "from")).ConfigureAwait(false);
            return null;
        }

        var pageSize = 50;
        if (parameters["pageSize"].ToString() is { Length: > 0 } size && !int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            pageSize = 0; // refused by the service with its bounds in the message
        }

        return new AuditQuery
        {
            UserId = parameters["userId"].ToString() is { Length: > 0 } userId ? userId : null,
            EventTypes = types,
            From = from,
            To = to,
            Cursor = parameters["cursor"].ToString() is { Length: > 0 } cursor ? cursor : null,
            PageSize = pageSize,
        };
    }

    private static bool TryInstant(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? instant)
    {
        instant = null;
        var text = value.ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (text.Length <= 64 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            instant = parsed;
            return true;
        }

        return false;
    }

    private static SecurityResult Invalid(string message, string field) =>
        SecurityResult.Failed(new SecurityError(AuditQueryInvalid, message) { Field = field });

    private static IAuditTrailService Service(HttpContext context) => context.RequestServices.GetRequiredService<IAuditTrailService>();
}
