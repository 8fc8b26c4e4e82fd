using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Results;

namespace AccountSecurity.Stores;

/// <summary>What a read-modify-write decided: a result, and optionally the new state of the record to write first.</summary>
internal readonly record struct RecordChange<TRecord, T>(T Result, TRecord? NewState)
    where TRecord : class;

/// <summary>
/// The optimistic read-modify-write loop, once, for every store: read, decide, write with the version read, and on a
/// conflict read again and decide again. The decision is a pure function of the state read, so a retry can never
/// apply a stale decision. <see cref="UserUpdater"/> and <see cref="ContractUpdater"/> are this loop over their store;
/// no service writes its own.
/// </summary>
internal static class ReadModifyWrite
{
    /// <summary>
    /// Runs <paramref name="decide"/> on fresh state until its write lands or it decides not to write; after
    /// <paramref name="maxAttempts"/> conflicting writes, calls <paramref name="onExhausted"/> (with the attempts made)
    /// and returns <paramref name="whenExhausted"/>'s result. <paramref name="first"/>, when given, saves the first read.
    /// <paramref name="whenDuplicate"/>, when given, answers a write the store refused as a duplicate at once (reading
    /// again cannot free a key another record holds); without it a duplicate is retried like a conflict.
    /// </summary>
    public static async ValueTask<T> RunAsync<TRecord, T>(
        Func<CancellationToken, ValueTask<TRecord?>> read,
        Func<TRecord, CancellationToken, ValueTask<StoreWriteResult>> write,
        Func<TRecord?, RecordChange<TRecord, T>> decide,
        int maxAttempts,
        Func<T> whenExhausted,
        Action<int> onExhausted,
        CancellationToken cancellationToken,
        TRecord? first = null,
        Func<T>? whenDuplicate = null)
        where TRecord : class
    {
        // One span per loop (the record type, the writes attempted, an event per conflict), so retries under
        // contention show in a trace; never the record's id or content.
        using var span = AccountSecurityActivitySource.Start(SpanNames.StoreUpdate);
        span.Tag(SpanTags.StoreRecord, RecordName<TRecord>());
        try
        {
            var current = first ?? await read(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                var change = decide(current);
                if (change.NewState is null)
                {
                    span.Tag(SpanTags.StoreAttempts, attempt - 1);
                    return span.Outcome(change.Result, "unchanged");
                }

                var written = await write(change.NewState, cancellationToken).ConfigureAwait(false);
                if (written == StoreWriteResult.Success)
                {
                    span.Tag(SpanTags.StoreAttempts, attempt);
                    return span.Outcome(change.Result, "written");
                }

                if (written == StoreWriteResult.Duplicate && whenDuplicate is not null)
                {
                    span.Tag(SpanTags.StoreAttempts, attempt);
                    return span.Outcome(whenDuplicate(), "duplicate");
                }

                span.Event(SpanTags.StoreConflictEvent, SpanTags.StoreAttempt, attempt);
                if (attempt >= maxAttempts)
                {
                    onExhausted(attempt);
                    span.Tag(SpanTags.StoreAttempts, attempt);
                    return span.Outcome(whenExhausted(), SecurityErrorCodes.ConcurrencyConflict);
                }

                // Conflict, or the record vanished: decide again on what is stored now.
                current = await read(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (span.Threw(exception))
        {
            throw; // never reached: the filter only records the exception's type on the span
        }
    }

    private static string RecordName<TRecord>() =>
        typeof(TRecord) == typeof(UserAccount) ? "user" : typeof(TRecord) == typeof(Contract) ? "contract" : "other";
}
