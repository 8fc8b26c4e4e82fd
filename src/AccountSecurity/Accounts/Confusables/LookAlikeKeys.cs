namespace AccountSecurity.Accounts.Confusables;

/// <summary>
/// The confusable skeletons (<see cref="ConfusableSkeleton"/>) under which e-mail addresses that look alike collide.
/// Addresses compare case-insensitively, so one may be written, and shown, in any case; the keys are:
/// <list type="bullet">
/// <item>the skeleton of the address as written, before any case folding, as UTS #39 defines it: folding first turns a
/// capital <c>I</c> (whose prototype is <c>l</c>) into an <c>i</c>, and <c>admin@exampIe.com</c> passed beside
/// <c>admin@example.com</c>;</item>
/// <item>the skeletons of its all-lower-case and all-upper-case forms, so a look-alike of another case form of an
/// address collides too (<c>lLYA@EXAMPLE.COM</c>, with a small <c>l</c>, beside <c>ilya@example.com</c>, whose upper
/// case it looks like);</item>
/// <item>the rule's earlier key, lower case, skeleton, lower case again (the prototypes mix cases: <c>0</c> maps to
/// <c>O</c>), compared only with the same key of the other address, so no pair that collided before passes now.</item>
/// </list>
/// The skeletons are compared exactly, not folded afterwards: folding after the mapping would merge every <c>I</c> with
/// every <c>L</c> (<c>KING</c> with <c>KLNG</c>), which do not look alike.
/// </summary>
internal sealed class LookAlikeKeys
{
    private readonly string[] _skeletons;
    private readonly string _folded;

    private LookAlikeKeys(string[] skeletons, string folded)
    {
        _skeletons = skeletons;
        _folded = folded;
    }

    /// <summary>The keys of <paramref name="address"/>, which must be well-formed text (<see cref="InputText.IsWellFormed"/>).</summary>
    public static LookAlikeKeys Of(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var asWritten = ConfusableSkeleton.Skeleton(address);
        var lower = address.ToLowerInvariant();
        var upper = address.ToUpperInvariant();
        var lowerSkeleton = lower == address ? asWritten : ConfusableSkeleton.Skeleton(lower);
        var upperSkeleton = upper == address ? asWritten : ConfusableSkeleton.Skeleton(upper);
        return new LookAlikeKeys([asWritten, lowerSkeleton, upperSkeleton], lowerSkeleton.ToLowerInvariant());
    }

    /// <summary>Whether the two addresses look alike: any skeleton of one equals any of the other, or the folded keys are equal.</summary>
    public bool LookAlike(LookAlikeKeys other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (string.Equals(_folded, other._folded, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var skeleton in _skeletons)
        {
            if (Array.IndexOf(other._skeletons, skeleton) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
