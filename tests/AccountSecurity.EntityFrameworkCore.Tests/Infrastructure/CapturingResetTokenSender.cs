using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// Keeps every reset message instead of e-mailing it, so a test can use the token. The library hands messages over
/// after the reset request has been answered, so a test waits for them with <see cref="WaitForMessagesAsync"/>.
/// </summary>
internal sealed class CapturingResetTokenSender : IPasswordResetTokenSender
{
    private readonly ConcurrentQueue<PasswordResetMessage> _messages = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<PasswordResetMessage> Messages => _messages;

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        TaskCompletionSource arrived;
        lock (_gate)
        {
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes once at least <paramref name="count"/> messages have arrived; fails instead of hanging when they never do.</summary>
    public async Task WaitForMessagesAsync(int count)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_messages.Count >= count)
                {
                    return;
                }

                next = _arrived.Task;
            }

            await next.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
