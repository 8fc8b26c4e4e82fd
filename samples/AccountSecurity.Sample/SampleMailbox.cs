using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.Sample;

/// <summary>Stands in for the host's e-mail queue: keeps the last reset token per address so the sample can "click the link".</summary>
internal sealed class SampleMailbox : IPasswordResetTokenSender
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        _tokens[message.Email] = message.Token;
        return ValueTask.CompletedTask;
    }

    public string TakeToken(string email) =>
        _tokens.TryRemove(email, out var token) ? token : throw new InvalidOperationException("No reset mail for " + email);
}
