namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>
/// One row per <see cref="Sessions.SessionRecord"/>. Instants are UTC ticks (100 ns since 0001-01-01) and the idle timeout
/// ticks, in <see langword="long"/> columns: SQLite has no date type, and EF Core's SQLite provider cannot compare
/// <see cref="DateTimeOffset"/> values in SQL, while every conditional write here compares instants in its WHERE clause.
/// Integers compare exactly, index well and round-trip every tick on every provider.
/// </summary>
internal sealed class SessionEntity
{
    public string Id { get; set; } = "";

    /// <summary>The SHA-256 of the reference's secret part (never the secret).</summary>
    public string SecretHash { get; set; } = "";

    public string UserId { get; set; } = "";
    public string ContractId { get; set; } = "";
    public string SecurityStamp { get; set; } = "";

    /// <summary>The <c>amr</c> values, as a JSON array of strings.</summary>
    public string Methods { get; set; } = "[]";

    public long CreatedAt { get; set; }
    public long LastSeenAt { get; set; }
    public long IdleTimeoutTicks { get; set; }
    public long ExpiresAt { get; set; }
    public string? DeviceLabel { get; set; }
    public string? ClientAddress { get; set; }
    public long? ReauthenticatedAt { get; set; }
    public long? EndedAt { get; set; }
    public string? EndReason { get; set; }
}
