using System.Collections.Concurrent;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// The dedicated threads bcrypt runs on: as many as the limiter lets compute at once, started at the first
/// computation and kept warm until the limiter is disposed. Off the thread pool, so the host's cheap requests keep
/// every pool thread; persistent, because a new thread per computation (a LongRunning task) measured 1–8 % slower
/// bcrypt than a warm one on this project's 2-core machine (benchmarks/README.md). The limiter in front bounds the
/// work, so this queue never holds more than the thread count.
/// </summary>
internal sealed class HashingThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new(new ConcurrentQueue<Action>());
    private readonly int _count;
    private readonly bool _belowNormalPriority;
    private readonly Lock _startGate = new();
    private bool _started;

    public HashingThreads(int count, bool belowNormalPriority)
    {
        _count = count;
        _belowNormalPriority = belowNormalPriority;
    }

    /// <summary>Runs <paramref name="computation"/> on one of the threads; the task completes off them (continuations never run on a hashing thread).</summary>
    public Task<T> RunAsync<T>(Func<T> computation)
    {
        EnsureStarted();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(computation());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }

    /// <summary>Lets the threads finish what is queued and end.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started))
        {
            return;
        }

        lock (_startGate)
        {
            if (_started)
            {
                return;
            }

            for (var i = 0; i < _count; i++)
            {
                new Thread(Work) { IsBackground = true, Name = "AccountSecurity hashing" }.Start();
            }

            Volatile.Write(ref _started, true);
        }
    }

    private void Work()
    {
        if (_belowNormalPriority)
        {
            HashingThreadPriority.TryLowerCurrentThread();
        }

        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
