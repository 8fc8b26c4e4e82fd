using System.Collections.Concurrent;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Reset;
using Microsoft.Extensions.Time.Testing;

namespace AccountSecurity.Testing.Hardening;

/// <summary>
/// What <see cref="HostileInputTests"/> hands to <see cref="HostileInputTests.BuildServices"/>: register each of these
/// in the service provider you build, so the suite can see the events, the log lines and the reset messages.
/// </summary>
public sealed class HostileInputEnvironment
{
    private readonly CapturingSender _sender = new();

    internal HostileInputEnvironment()
    {
    }

    /// <summary>The clock: register it as the <see cref="TimeProvider"/>.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 5, 1, 8, 0, 5, TimeSpan.Zero));

    /// <summary>The event sink: add it with <c>AddEventSink(environment.Events)</c>.</summary>
    public CollectingSecurityEventSink Events { get; } = new();

    /// <summary>The log provider: add it with <c>AddLogging(b =&gt; b.SetMinimumLevel(LogLevel.Trace).AddProvider(environment.Logs))</c>.</summary>
    public CollectingLoggerProvider Logs { get; } = new();

    /// <summary>The reset-token sender: register it as the <see cref="IPasswordResetTokenSender"/>.</summary>
    public IPasswordResetTokenSender ResetTokenSender => _sender;

    /// <summary>The number of reset messages sent so far.</summary>
    internal int ResetMessagesSent => _sender.Count;

    /// <summary>Applies the fast test defaults; pass it to <c>AddAccountSecurity(environment.ConfigureOptions)</c>.</summary>
    /// <param name="options">The options being configured.</param>
    public void ConfigureOptions(AccountSecurityOptions options) => AccountSecurityTestOptions.ApplyFastTestDefaults(options);

    private sealed class CapturingSender : IPasswordResetTokenSender
    {
        private readonly ConcurrentQueue<PasswordResetMessage> _messages = new();

        public int Count => _messages.Count;

        public ValueTask SendAsync(PasswordResetMessage message, CancellationToken cancellationToken)
        {
            _messages.Enqueue(message);
            return ValueTask.CompletedTask;
        }
    }
}
