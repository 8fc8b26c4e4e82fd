namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// The ranges looked up lately, bounded in entries (the least recently used goes first) and each kept for a fixed
/// time on the host's <see cref="TimeProvider"/>. Keyed by prefix only; holds parsed suffixes, never a password.
/// Thread-safe; a lookup is a dictionary read and a list move under one lock.
/// </summary>
internal sealed class RangeCache
{
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, LinkedListNode<Slot>> _slots = new(StringComparer.Ordinal);
    private readonly LinkedList<Slot> _recency = new();
    private readonly Lock _gate = new();

    public RangeCache(int capacity, TimeSpan lifetime, TimeProvider time)
    {
        _capacity = capacity;
        _lifetime = lifetime;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    public bool TryGet(string prefix, out PwnedRange range)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_slots.TryGetValue(prefix, out var node))
            {
                if (node.Value.ExpiresAt > now)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    range = node.Value.Range;
                    return true;
                }

                _recency.Remove(node);
                _slots.Remove(prefix);
            }
        }

        range = PwnedRange.Empty;
        return false;
    }

    public void Set(string prefix, PwnedRange range)
    {
        if (_capacity == 0)
        {
            return;
        }

        var slot = new Slot(prefix, range, _time.GetUtcNow() + _lifetime);
        lock (_gate)
        {
            if (_slots.Remove(prefix, out var existing))
            {
                _recency.Remove(existing);
            }

            while (_slots.Count >= _capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _slots.Remove(oldest.Value.Prefix);
            }

            _slots[prefix] = _recency.AddFirst(slot);
        }
    }

    private readonly record struct Slot(string Prefix, PwnedRange Range, DateTimeOffset ExpiresAt);
}
