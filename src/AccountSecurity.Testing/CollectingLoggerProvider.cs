using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Testing;

/// <summary>One captured log line: its category, level, event id, formatted message, structured values and exception.</summary>
/// <param name="Category">The logger's category (usually the type name).</param>
/// <param name="Level">The level it was written at.</param>
/// <param name="EventId">The <c>[LoggerMessage]</c> event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="State">The structured values, including <c>{OriginalFormat}</c>, rendered with <see cref="object.ToString"/>.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record CollectedLogEntry(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, string?>> State,
    Exception? Exception)
{
    /// <summary>Everything a log sink could store for this line, as one text: message, each structured value, and the exception.</summary>
    public string AllText() =>
        string.Join('\n', new[] { Category, Message, Exception?.ToString() ?? string.Empty }.Concat(State.Select(kv => kv.Key + "=" + kv.Value)));
}

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every log line at every level in memory, for tests that assert what
/// is (and is not) logged. Thread-safe. Add it with <c>services.AddLogging(b => b.AddProvider(provider))</c>; its
/// loggers are enabled for every level, so set the builder's minimum level to <see cref="LogLevel.Trace"/> to see all.
/// </summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CollectedLogEntry> _entries = new();

    /// <summary>A snapshot of the lines logged so far, oldest first.</summary>
    public IReadOnlyList<CollectedLogEntry> Entries => [.. _entries];

    /// <summary>Every line logged so far as text (see <see cref="CollectedLogEntry.AllText"/>).</summary>
    public IReadOnlyList<string> AllText() => [.. _entries.Select(e => e.AllText())];

    /// <summary>Forgets every line logged so far.</summary>
    public void Clear() => _entries.Clear();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CollectingLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class CollectingLogger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            IReadOnlyList<KeyValuePair<string, string?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? [.. pairs.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value?.ToString()))]
                : [];
            provider._entries.Enqueue(new CollectedLogEntry(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
