using System.Collections.Concurrent;
using AccountSecurity.Events;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.SignIn;

/// <summary>One captured log line: the formatted message and every structured state value.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, string?>> State);

/// <summary>A logger provider that keeps every line, for asserting on what the library logs.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<KeyValuePair<string, string?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value?.ToString())));
            }

            var message = formatter(state, exception) + (exception is null ? string.Empty : " " + exception);
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, message, values));
        }
    }
}

/// <summary>An event sink that keeps every security event.</summary>
internal sealed class CollectingEventSink : ISecurityEventSink
{
    private readonly ConcurrentQueue<SecurityEvent> _events = new();

    public IReadOnlyList<SecurityEvent> Events => [.. _events];

    public IReadOnlyList<SecurityEvent> OfType(SecurityEventType type) => [.. _events.Where(e => e.Type == type)];

    public void Clear() => _events.Clear();

    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(securityEvent);
        return ValueTask.CompletedTask;
    }
}
