using Microsoft.Extensions.Logging;

namespace AccountSecurity.Diagnostics;

/// <summary>
/// Log lines of secret protection (event ids 90-99 of the infrastructure range). Key ids only, never key material or
/// plaintext. Sampled (<see cref="SampledLog"/>): a client can send forged sealed state as fast as it likes.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 90, Level = LogLevel.Error,
        Message = "A protected secret names key id {KeyId}, which is not configured in SecretProtection.Keys; keep retired keys configured until every secret is re-protected ({Suppressed} more since the last such line, logged at most once a minute)")]
    public static partial void ProtectedSecretUnknownKey(ILogger logger, LogValue keyId, long suppressed);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning,
        Message = "A protected secret under key id {KeyId} failed authentication: it was altered, or belongs to another context (user) ({Suppressed} more since the last such line, logged at most once a minute)")]
    public static partial void ProtectedSecretAuthenticationFailed(ILogger logger, LogValue keyId, long suppressed);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning,
        Message = "A malformed sign-in ticket, which the server never issues, was refused: made up or altered by the client ({Suppressed} more since the last such line, logged at most once a minute)")]
    public static partial void SignInTicketForged(ILogger logger, long suppressed);
}
