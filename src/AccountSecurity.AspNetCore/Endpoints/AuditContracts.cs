using System.Text.Json;
using System.Text.Json.Serialization;
using AccountSecurity.Auditing;

namespace AccountSecurity.AspNetCore.Endpoints;

#pragma warning disable SA1402, CA1812 // Small DTOs kept together; instantiated by the JSON source generator.

/// <summary>A page of audit records, newest first, and where the next page starts.</summary>
internal sealed class AuditPageResponse
{
    public List<AuditRecordItem> Records { get; set; } = [];

    /// <summary>Pass as <c>cursor</c> for the next page; null on the last page.</summary>
    public string? NextCursor { get; set; }

    public static AuditPageResponse From(AuditPage page) => new() { Records = [.. page.Records.Select(AuditRecordItem.From)], NextCursor = page.NextCursor };
}

/// <summary>One audit record, with what happened in plain words (<see cref="AuditActivityText.What"/>).</summary>
internal sealed class AuditRecordItem
{
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string EventType { get; set; } = "";

    public string Description { get; set; } = "";

    public string? UserId { get; set; }

    public string? ActorId { get; set; }

    public string? Factor { get; set; }

    public List<string> SignInMethods { get; set; } = [];

    public string? Outcome { get; set; }

    public string? SessionId { get; set; }

    public string? DeviceLabel { get; set; }

    public string? ClientAddress { get; set; }

    public string? CorrelationId { get; set; }

    public string Hash { get; set; } = "";

    public static AuditRecordItem From(AuditRecord r) => new()
    {
        Sequence = r.Sequence,
        OccurredAt = r.OccurredAt,
        EventType = r.EventType.ToString(),
        Description = AuditActivityText.What(r),
        UserId = r.UserId,
        ActorId = r.ActorId,
        Factor = r.Factor?.ToString(),
        SignInMethods = [.. Enum.GetValues<AuditSignInMethods>().Where(m => m != AuditSignInMethods.None && r.SignInMethods.HasFlag(m)).Select(m => m.ToString())],
        Outcome = r.Outcome,
        SessionId = r.SessionId,
        DeviceLabel = r.DeviceLabel,
        ClientAddress = r.ClientAddress,
        CorrelationId = r.CorrelationId,
        Hash = r.Hash,
    };
}

/// <summary>What verifying the contract's chain found.</summary>
internal sealed class AuditVerificationResponse
{
    public bool Intact { get; set; }

    public long RecordsChecked { get; set; }

    public long? BrokenAtSequence { get; set; }

    /// <summary><c>none</c>, <c>altered</c>, <c>missing</c>, <c>unexpected</c> or <c>head_mismatch</c>.</summary>
    public string Break { get; set; } = "none";
}

/// <summary>The contract's audit retention and its bounds, in days.</summary>
internal sealed class AuditRetentionResponse
{
    public int RetentionDays { get; set; }

    public bool IsDefault { get; set; }

    public int MinDays { get; set; }

    public int MaxDays { get; set; }
}

/// <summary>Sets the contract's audit retention; an absent member returns to the host's default, an explicit <c>null</c> is refused (<see cref="NullGiven"/>), as for the session policy.</summary>
internal sealed class AuditRetentionRequest
{
    private int? _retentionDays;
    private bool _nullGiven;

    public int? RetentionDays { get => _retentionDays; set => _nullGiven |= (_retentionDays = value) is null; }

    /// <summary>Whether the body gave the member as <c>null</c>.</summary>
    public bool NullGiven() => _nullGiven;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(AuditPageResponse))]
[JsonSerializable(typeof(AuditVerificationResponse))]
[JsonSerializable(typeof(AuditRetentionResponse))]
[JsonSerializable(typeof(AuditRetentionRequest))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
