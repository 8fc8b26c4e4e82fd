using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.WebSample;

/// <summary>A reset e-mail as the demo outbox shows it.</summary>
public sealed record OutboxMessage(string To, string Token, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>
/// DEMO STAND-IN for the host's e-mail sender: keeps the reset messages in memory and shows them on /dev/outbox so the
/// sample works without a mail server. A real host sends the link by e-mail and has no such page.
/// </summary>
public sealed class DevOutbox(TimeProvider time) : IPasswordResetTokenSender
{
    private const int Capacity = 50;
    private readonly ConcurrentQueue<OutboxMessage> _messages = new();

    /// <summary>The messages, newest first.</summary>
    public IReadOnlyList<OutboxMessage> Messages => _messages.Reverse().ToList();

    /// <inheritdoc />
    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages.Enqueue(new OutboxMessage(message.Email, message.Token, time.GetUtcNow(), message.ExpiresAt));
        while (_messages.Count > Capacity && _messages.TryDequeue(out _))
        {
        }

        return ValueTask.CompletedTask;
    }
}
