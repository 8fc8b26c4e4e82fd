using AccountSecurity.AspNetCore.Authorization;

// In this namespace so the convention is found next to the framework's own (AllowAnonymous, RequireAuthorization).
namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions of AccountSecurity.</summary>
public static class AccountSecurityEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Lets a session that must first set up forced two-factor authentication reach these endpoints (adds
    /// <see cref="AllowDuringTwoFactorSetupAttribute"/>): for the host's setup pages, the endpoints they post to, and
    /// sign-out. Every other endpoint under a policy of <see cref="AccountSecurityPolicies"/> sends such a session to the
    /// setup.
    /// </summary>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TBuilder AllowDuringTwoFactorSetup<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new AllowDuringTwoFactorSetupAttribute());
    }

    /// <summary>
    /// Lets a session that must first change a breached password reach these endpoints (adds
    /// <see cref="AllowDuringPasswordChangeAttribute"/>): for the host's password change page, the endpoint it posts to,
    /// what it reads, re-authentication and sign-out. Every other endpoint under a policy of
    /// <see cref="AccountSecurityPolicies"/> sends such a session to the password change.
    /// </summary>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TBuilder AllowDuringPasswordChange<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new AllowDuringPasswordChangeAttribute());
    }
}
