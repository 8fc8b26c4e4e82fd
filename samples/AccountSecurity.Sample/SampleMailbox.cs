using System.Collections.Concurrent;
using AccountSecurity.Passwords.Reset;

namespace AccountSecurity.Sample;

/// <summary>
/// Stands in for the host's e-mail queue: keeps the last reset token per address so the sample can "click the link".
/// The library hands the token over after answering the reset request, so the sample waits for the mail to arrive.
/// </summary>
internal sealed class SampleMailbox : IPasswordResetTokenSender
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
    {
        Slot(message.Email).TrySetResult(message.Token);
        return ValueTask.CompletedTask;
    }

    public async Task<string> TakeTokenAsync(string email)
    {
        var token = await Slot(email).Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        _tokens.TryRemove(email, out _);
        return token;
    }

    private TaskCompletionSource<string> Slot(string email) =>
        _tokens.GetOrAdd(email, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
