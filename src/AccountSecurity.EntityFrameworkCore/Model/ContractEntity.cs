namespace AccountSecurity.EntityFrameworkCore.Model;

/// <summary>One row per <see cref="Accounts.Contract"/>; the policy columns are all null when the contract has no policy.</summary>
internal sealed class ContractEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string OwnerUserId { get; set; } = "";

    public int? PolicyMinimumLength { get; set; }
    public int? PolicyMaximumLength { get; set; }
    public int? PolicyMinimumDigits { get; set; }
    public int? PolicyMinimumUppercase { get; set; }
    public int? PolicyMinimumLowercase { get; set; }
    public int? PolicyMinimumSpecial { get; set; }
    public bool? PolicyBlockCommonPasswords { get; set; }
    public bool? PolicyRejectEmail { get; set; }
    public bool? PolicyRejectPredictablePatterns { get; set; }
    public int? PolicyHistoryDepth { get; set; }

    public bool PasskeySignInAllowed { get; set; }

    /// <summary>The contract's session policy as JSON (timeouts in ticks); null when the contract has none (the host's defaults apply).</summary>
    public string? SessionPolicy { get; set; }

    public long Version { get; set; }
}
