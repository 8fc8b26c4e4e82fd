using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Accounts;
using AccountSecurity.Crypto;

namespace AccountSecurity.SignIn;

/// <summary>
/// Tickets of the form <c>base64url(userId).base64url(256 random bits)</c>; only the SHA-256 of the random part is
/// stored (<see cref="PendingSignIn"/>), so a database reader cannot complete anyone's sign-in.
/// </summary>
internal static class SignInTickets
{
    private const int MaxTicketLength = 400;

    public static (string Ticket, PendingSignIn Record) Issue(UserAccount user, SignInTicketPurpose purpose, DateTimeOffset expiresAt)
    {
        var secret = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var ticket = Base64Url.Encode(Encoding.UTF8.GetBytes(user.Id)) + "." + secret;
        return (ticket, new PendingSignIn(Hash(secret), purpose, user.SecurityStamp, expiresAt));
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

    /// <summary>Whether <paramref name="user"/> holds a live ticket with this hash and purpose, issued under its current stamp.</summary>
    public static bool Matches(UserAccount user, string secretHash, SignInTicketPurpose purpose, DateTimeOffset now)
    {
        var pending = user.PendingSignIn;
        if (pending is null)
        {
            return false;
        }

        var sameSecret = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(pending.TicketHash), Encoding.ASCII.GetBytes(secretHash));
        return sameSecret && pending.Purpose == purpose && pending.ExpiresAt > now && pending.SecurityStamp == user.SecurityStamp && user.IsActive;
    }

    /// <summary><paramref name="user"/> with its ticket spent: part of the acceptance write that completes a sign-in, so a ticket completes at most one.</summary>
    public static UserAccount Spend(UserAccount user) => user with { PendingSignIn = null };

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
