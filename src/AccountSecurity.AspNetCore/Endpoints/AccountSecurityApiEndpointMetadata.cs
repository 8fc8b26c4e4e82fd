namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>Marks the endpoints of <c>MapAccountSecurityApi</c>: API requests, answered 401/403 and never redirected.</summary>
public sealed class AccountSecurityApiEndpointMetadata
{
    /// <summary>The one instance.</summary>
    public static AccountSecurityApiEndpointMetadata Instance { get; } = new();

    private AccountSecurityApiEndpointMetadata()
    {
    }
}
