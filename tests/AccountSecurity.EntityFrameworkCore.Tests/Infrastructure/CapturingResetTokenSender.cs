using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>Keeps every reset message instead of e-mailing it, so a test can use the token.</summary>
internal sealed class CapturingResetTokenSender : IPasswordResetTokenSender
{
    private readonly ConcurrentQueue<PasswordResetMessage> _messages = new();

    public IReadOnlyCollection<PasswordResetMessage> Messages => _messages;

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }
}
