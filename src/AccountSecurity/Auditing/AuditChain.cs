using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AccountSecurity.SignIn;

namespace AccountSecurity.Auditing;

/// <summary>
/// The hash chain of a contract's audit records: each record's <see cref="AuditRecord.Hash"/> is SHA-256 (the
/// platform's) over a canonical, versioned, length-prefixed encoding of its fields and the previous record's hash, so
/// altering, deleting or inserting a stored row breaks the chain at that row (<see cref="IAuditTrailService.VerifyChainAsync"/>).
/// Stores link records with <see cref="Link"/> while they hold their contract's chain head; nothing else computes a hash.
/// </summary>
/// <remarks>
/// <para>
/// Encoding version 1: the byte <c>1</c>; then, in this order, the contract id, the sequence, the instant (UTC ticks),
/// the event type, the user id, the actor id, the factor, the sign-in methods, the outcome, the session id, the device
/// label, the client address, the correlation id and the previous hash. A text field is a big-endian 32-bit length of
/// its UTF-8 bytes followed by them, or the length -1 for <see langword="null"/> (so <c>null</c>, <c>""</c> and a
/// field boundary moved between two neighbours all hash differently); a number is 8 big-endian bytes, an absent number
/// is the flag byte 0 and a present one the flag byte 1 before it. A new field means a new version, never a changed one.
/// </para>
/// <para>
/// The chain has no key: it makes tampering by anyone without the means to recompute every later hash and the chain
/// head visible (a changed row, a deleted one, a row slipped in). Against someone who can rewrite the database at will,
/// keep <see cref="AuditChainHead.LastHash"/> elsewhere from time to time (docs/audit-trail.md).
/// </para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The encoding version written into every hash.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>The previous hash of a chain's first record: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>
    /// <paramref name="record"/> as the <paramref name="sequence"/>-th record of its contract's chain after
    /// <paramref name="previousHash"/>: the same fields with <see cref="AuditRecord.Sequence"/>,
    /// <see cref="AuditRecord.PreviousHash"/> and <see cref="AuditRecord.Hash"/> set. For store implementers, while they
    /// hold the chain head of the record's contract.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> or <paramref name="previousHash"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1.</exception>
    public static AuditRecord Link(AuditRecord record, long sequence, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var linked = record with { Sequence = sequence, PreviousHash = previousHash, Hash = "" };
        return linked with { Hash = ComputeHash(linked) };
    }

    /// <summary>
    /// The hash <paramref name="record"/> must carry: SHA-256 over its canonical encoding (every field but
    /// <see cref="AuditRecord.Hash"/>, with <see cref="AuditRecord.PreviousHash"/>), as 64 lower-case hex digits.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public static string ComputeHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([EncodingVersion]);
        Text(hash, record.ContractId);
        Number(hash, record.Sequence);
        Number(hash, record.OccurredAt.UtcTicks);
        Number(hash, (long)record.EventType);
        Text(hash, record.UserId);
        Text(hash, record.ActorId);
        Number(hash, record.Factor is { } factor ? (long)factor : null);
        Number(hash, (long)record.SignInMethods);
        Text(hash, record.Outcome);
        Text(hash, record.SessionId);
        Text(hash, record.DeviceLabel);
        Text(hash, record.ClientAddress);
        Text(hash, record.CorrelationId);
        Text(hash, record.PreviousHash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="record"/> carries the hash its fields and previous hash call for (compared in constant time).</summary>
    public static bool HasValidHash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var expected = Encoding.ASCII.GetBytes(ComputeHash(record));
        var actual = Encoding.UTF8.GetBytes(record.Hash ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// Walks <paramref name="contractId"/>'s chain in <paramref name="store"/> from its anchor to its head, in sequence
    /// order, and reports the first broken link: a record altered (its hash or its link), a sequence missing (a deleted
    /// row), a record beyond the head (an inserted row), or a last record that is not the one the head recorded. Reads
    /// <paramref name="pageSize"/> records at a time. No authorization: the host decides who may run it
    /// (<see cref="IAuditTrailService.VerifyChainAsync"/> lets a contract's administrators run it on their own contract).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="contractId"/> is <see langword="null"/>.</exception>
    public static async ValueTask<AuditChainVerification> VerifyAsync(IAuditStore store, string contractId, CancellationToken cancellationToken = default, int pageSize = 500)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(contractId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var head = await store.FindChainAsync(contractId, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return new AuditChainVerification(contractId, 0, null, AuditChainBreak.None);
        }

        var expected = head.AnchorSequence + 1;
        var previous = head.AnchorHash;
        var checkedCount = 0L;
        var after = head.AnchorSequence;
        while (true)
        {
            var page = await store.ReadChainAsync(contractId, after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                if (record.Sequence != expected)
                {
                    return Broken(expected <= head.LastSequence ? expected : record.Sequence, expected <= head.LastSequence ? AuditChainBreak.Missing : AuditChainBreak.Unexpected);
                }

                if (record.Sequence > head.LastSequence)
                {
                    return Broken(record.Sequence, AuditChainBreak.Unexpected);
                }

                if (!string.Equals(record.PreviousHash, previous, StringComparison.Ordinal) || !string.Equals(record.ContractId, contractId, StringComparison.Ordinal) || !HasValidHash(record))
                {
                    return Broken(record.Sequence, AuditChainBreak.Altered);
                }

                previous = record.Hash;
                expected++;
                checkedCount++;
            }

            if (page.Count < pageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        if (expected - 1 < head.LastSequence)
        {
            return Broken(expected, AuditChainBreak.Missing);
        }

        return string.Equals(previous, head.LastHash, StringComparison.Ordinal)
            ? new AuditChainVerification(contractId, checkedCount, null, AuditChainBreak.None)
            : Broken(head.LastSequence, AuditChainBreak.HeadMismatch);

        AuditChainVerification Broken(long sequence, AuditChainBreak kind) => new(contractId, checkedCount, sequence, kind);
    }

    /// <summary>The flags of the <c>amr</c> values in <paramref name="methods"/>; unknown values are ignored.</summary>
    public static AuditSignInMethods MethodsOf(IEnumerable<string>? methods)
    {
        var flags = AuditSignInMethods.None;
        foreach (var method in methods ?? [])
        {
            flags |= method switch
            {
                AuthenticationMethods.Password => AuditSignInMethods.Password,
                AuthenticationMethods.Otp => AuditSignInMethods.AuthenticatorApp,
                AuthenticationMethods.RecoveryCode => AuditSignInMethods.RecoveryCode,
                AuthenticationMethods.HardwareKey or AuthenticationMethods.SoftwareKey => AuditSignInMethods.Passkey,
                AuthenticationMethods.MultiFactor => AuditSignInMethods.MultiFactor,
                _ => AuditSignInMethods.None,
            };
        }

        return flags;
    }

    private static void Text(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static void Number(IncrementalHash hash, long? value)
    {
        Span<byte> bytes = stackalloc byte[9];
        if (value is not { } v)
        {
            hash.AppendData(bytes[..1]);
            return;
        }

        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], v);
        hash.AppendData(bytes);
    }
}
