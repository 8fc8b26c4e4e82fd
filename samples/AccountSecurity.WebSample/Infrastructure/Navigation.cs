using AccountSecurity.Accounts;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>The console's navigation entries; Users &amp; Groups and Support only for those who may open them.</summary>
public static class Navigation
{
    /// <summary>The entries in menu order (labels are keys of <see cref="SharedTexts"/>).</summary>
    public static IReadOnlyList<(string Key, string Href, string Label, bool AdminOnly)> Entries { get; } =
    [
        ("security", "/security", "Password & Security", false),
        ("users", "/users", "Users & Groups", true),
        ("datacenters", "/datacenters", "Data centers", false),
        ("snapshots", "/snapshots", "Snapshots", false),
        ("support", "/support", "Support: verify a caller", true),
    ];
}

/// <summary>The display names of the roles (keys of <see cref="SharedTexts"/>).</summary>
public static class Roles
{
    /// <summary>The display name of <paramref name="role"/>.</summary>
    public static string Name(UserRole role) => role switch
    {
        UserRole.ContractOwner => "Contract owner",
        UserRole.Administrator => "Administrator",
        _ => "User",
    };
}
