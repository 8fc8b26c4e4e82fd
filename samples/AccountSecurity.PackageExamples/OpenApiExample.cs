using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The AccountSecurity.AspNetCore package README's OpenAPI example: the host's document includes the JSON endpoints.</summary>
public static class OpenApiExample
{
    /// <summary>Builds (does not run) an app that serves its OpenAPI document at <c>/openapi/v1.json</c>, the JSON endpoints in it.</summary>
    public static WebApplication Build(byte[] key)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddAccountSecurity(options => options.SecretProtection.AddKey("2026-11", key))
            .AddAspNetCore(http => http.MapPasswordResetEndpoints = false);

        // snippet:begin aspnetcore-openapi
        builder.Services.AddOpenApi();                 // the Microsoft.AspNetCore.OpenApi package, in the host

        var app = builder.Build();
        app.MapOpenApi();                              // GET /openapi/v1.json
        app.MapAccountSecurityApi("/account");         // every endpoint, with its schemas and problem codes, is in it
        // snippet:end
        return app;
    }
}
