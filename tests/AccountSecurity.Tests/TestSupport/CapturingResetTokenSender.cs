using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>Keeps every reset message instead of e-mailing it.</summary>
internal sealed class CapturingResetTokenSender : IPasswordResetTokenSender
{
    private readonly ConcurrentQueue<PasswordResetMessage> _messages = new();

    public IReadOnlyList<PasswordResetMessage> Messages => [.. _messages];

    public PasswordResetMessage Last => Messages[^1];

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }
}
