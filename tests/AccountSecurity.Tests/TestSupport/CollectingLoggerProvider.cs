using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.TestSupport;

/// <summary>One captured log line: the formatted message, every structured value and any exception, as text.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<string> Values)
{
    /// <summary>Everything a log sink could persist, joined, for "no secret anywhere" assertions.</summary>
    public string AllText => string.Join(" | ", [Category, Message, .. Values]);
}

/// <summary>Captures every log line of every category, including structured state values.</summary>
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
            var values = new List<string>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
            }

            if (exception is not null)
            {
                values.Add(exception.ToString());
            }

            entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values));
        }
    }
}
