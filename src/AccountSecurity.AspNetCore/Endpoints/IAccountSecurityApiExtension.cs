using Microsoft.AspNetCore.Routing;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// Endpoints a factor package adds to <c>MapAccountSecurityApi</c>'s group (the passkeys package registers one), so a
/// host maps the whole API with one call. Registered in DI as an enumerable service; mapped in registration order.
/// </summary>
public interface IAccountSecurityApiExtension
{
    /// <summary>Maps the package's endpoints on <paramref name="group"/> (the API's prefix).</summary>
    void Map(RouteGroupBuilder group);
}
