using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Crypto;

namespace AccountSecurity.SignIn;

/// <summary>
/// Tickets of the form <c>base64url(userId).base64url(256 random bits)</c>; only the SHA-256 of the random part is
/// stored (<see cref="PendingSignIn"/>), so a database reader cannot complete anyone's sign-in. A user holds a small
/// bounded set of them (one per device signing in at once); each is found by its hash and spent on its own.
/// </summary>
internal static class SignInTickets
{
    private const int MaxTicketLength = 400;

    /// <summary>
    /// Issues a ticket for <paramref name="purpose"/> on <paramref name="user"/> and returns the user with it added:
    /// tickets that expired or were issued under another stamp are dropped, and beyond <paramref name="max"/> the oldest
    /// gives way. <paramref name="deviceId"/> is the trusted device the password step verified (its budget counts the
    /// second step), or <see langword="null"/>.
    /// </summary>
    public static (string Ticket, UserAccount User) Issue(UserAccount user, SignInTicketPurpose purpose, DateTimeOffset now, TimeSpan lifetime, string? deviceId, int max)
    {
        var secret = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var ticket = Base64Url.Encode(Encoding.UTF8.GetBytes(user.Id)) + "." + secret;
        var record = new PendingSignIn(Hash(secret), purpose, user.SecurityStamp, now + lifetime, deviceId);
        var kept = user.PendingSignIns
            .Where(p => p.ExpiresAt > now && p.SecurityStamp == user.SecurityStamp)
            .OrderByDescending(p => p.ExpiresAt)
            .Take(max - 1);
        return (ticket, user with { PendingSignIns = [record, .. kept] });
    }

    /// <summary>
    /// Splits a ticket into the user id and the secret's hash; <see langword="false"/> for anything malformed, including
    /// an id part that decodes to something no account can have (NUL, a noncharacter, a control or bidi character):
    /// a ticket the client made up is answered as an unknown ticket and its id never reaches a store. Never throws.
    /// </summary>
    public static bool TryParse(string? ticket, out string userId, out string secretHash)
    {
        userId = secretHash = string.Empty;
        if (string.IsNullOrEmpty(ticket) || ticket.Length > MaxTicketLength)
        {
            return false;
        }

        var dot = ticket.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ticket.Length - 1)
        {
            return false;
        }

        Span<byte> idBytes = stackalloc byte[MaxTicketLength];
        if (!Base64Url.TryDecode(ticket[..dot], idBytes, out var written))
        {
            return false;
        }

        try
        {
            userId = new UTF8Encoding(false, true).GetString(idBytes[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (!InputText.IsId(userId))
        {
            userId = string.Empty;
            return false;
        }

        secretHash = Hash(ticket[(dot + 1)..]);
        return true;
    }

    /// <summary>
    /// The live ticket of <paramref name="user"/> with this hash and purpose, issued under its current stamp (compared in
    /// constant time against each held ticket); <see langword="null"/> when there is none.
    /// </summary>
    public static PendingSignIn? Find(UserAccount user, string secretHash, SignInTicketPurpose purpose, DateTimeOffset now)
    {
        if (!user.IsActive)
        {
            return null;
        }

        PendingSignIn? found = null;
        foreach (var pending in user.PendingSignIns)
        {
            // Every held ticket is compared, so the time taken does not say which one matched.
            if (SecretHash.Same(pending.TicketHash, secretHash))
            {
                found = pending;
            }
        }

        return found is not null && found.Purpose == purpose && found.ExpiresAt > now && found.SecurityStamp == user.SecurityStamp ? found : null;
    }

    /// <summary>Whether <paramref name="user"/> holds a live ticket with this hash and purpose, issued under its current stamp.</summary>
    public static bool Matches(UserAccount user, string secretHash, SignInTicketPurpose purpose, DateTimeOffset now) =>
        Find(user, secretHash, purpose, now) is not null;

    /// <summary>
    /// <paramref name="user"/> with the ticket of <paramref name="secretHash"/> spent: part of the acceptance write that
    /// completes a sign-in, so a ticket completes at most one. Other devices' tickets stay.
    /// </summary>
    public static UserAccount Spend(UserAccount user, string secretHash) =>
        user with { PendingSignIns = user.PendingSignIns.RemoveAll(p => string.Equals(p.TicketHash, secretHash, StringComparison.Ordinal)) };

    /// <summary>A hash of a ticket's secret part, as stored.</summary>
    public static string Hash(string secret) => SecretHash.Of(secret);
}
