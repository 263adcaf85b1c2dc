using System.Diagnostics.CodeAnalysis;

namespace Elb.DataPlane.Sessions;

/// <summary>
/// At most <c>capacity</c> entries, kept in order of last use: a full table makes room by dropping the least recently
/// used entry, so a flood of new clients costs the oldest sessions, never unbounded memory; and a sweep of expired
/// entries reads only the oldest end (O(removed)), never the whole table. Thread-safe, with one lock held for O(1)
/// work per call.
/// </summary>
public sealed class LruTable<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _index = [];
    // Most recently used first.
    private readonly LinkedList<(TKey Key, TValue Value)> _byUse = new();
    private readonly Lock _lock = new();

    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get
        {
            lock (_lock) return _index.Count;
        }
    }

    /// <summary>The entry under <paramref name="key"/>, which counts as a use.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node))
            {
                value = default;
                return false;
            }
            _byUse.Remove(node);
            _byUse.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    /// <summary>Adds or replaces the entry as the most recently used; the entry dropped to make room, if one was.</summary>
    public (TKey Key, TValue Value)? Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_index.Remove(key, out var existing)) _byUse.Remove(existing);
            _index[key] = _byUse.AddFirst((key, value));
            if (_index.Count <= _capacity) return null;
            var oldest = _byUse.Last!;
            _byUse.RemoveLast();
            _index.Remove(oldest.Value.Key);
            return oldest.Value;
        }
    }

    /// <summary>Removes the entry only while <paramref name="key"/> still holds <paramref name="value"/>.</summary>
    public bool Remove(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node) || !EqualityComparer<TValue>.Default.Equals(node.Value.Value, value)) return false;
            _index.Remove(key);
            _byUse.Remove(node);
            return true;
        }
    }

    /// <summary>Removes entries from the least recently used on, while <paramref name="expired"/> holds; the removed values.</summary>
    public List<TValue> RemoveOldestWhile(Func<TValue, bool> expired)
    {
        var removed = new List<TValue>();
        lock (_lock)
        {
            while (_byUse.Last is { } oldest && expired(oldest.Value.Value))
            {
                _byUse.RemoveLast();
                _index.Remove(oldest.Value.Key);
                removed.Add(oldest.Value.Value);
            }
        }
        return removed;
    }
}
