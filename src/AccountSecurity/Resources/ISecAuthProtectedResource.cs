namespace AccountSecurity.Resources;

/// <summary>A resource the host shows (data center, snapshot, …) that may require a two-factor sign-in to be seen.</summary>
public interface ISecAuthProtectedResource
{
    /// <summary>The console's <c>secAuthProtection</c>: when set, only users with 2FA active whose session used the second factor may see it.</summary>
    bool SecAuthProtection { get; }
}
