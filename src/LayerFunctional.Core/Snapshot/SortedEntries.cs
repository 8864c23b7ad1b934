namespace LayerFunctional.Snapshot;

/// <summary>The one way the flat tables (<see cref="ChainMap{T}"/>, <see cref="NameMap{T}"/>) are built: entries sorted by
/// key, then by position, so that of equal keys the later entry is the one kept.</summary>
internal static class SortedEntries
{
    /// <summary>Keys in ascending order without repeats, and the value kept for each.</summary>
    /// <param name="entries">Key and value, in any order.</param>
    /// <param name="compare">The key order; 0 means the same key.</param>
    /// <returns>Two arrays of the same length, filled in place and cut only when a key came twice (a 100,000-entry table
    /// makes no list to grow and copy).</returns>
    public static (TKey[] Keys, T[] Values) Of<TKey, T>(IReadOnlyList<(TKey Key, T Value)> entries, Comparison<TKey> compare)
    {
        var order = new int[entries.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        System.Array.Sort(order, (a, b) =>
        {
            var c = compare(entries[a].Key, entries[b].Key);
            return c != 0 ? c : a.CompareTo(b);
        });
        var keys = new TKey[order.Length];
        var values = new T[order.Length];
        var n = 0;
        foreach (var i in order)
        {
            var (key, value) = entries[i];
            if (n > 0 && compare(keys[n - 1], key) == 0) values[n - 1] = value;
            else
            {
                keys[n] = key;
                values[n++] = value;
            }
        }
        if (n < keys.Length)
        {
            System.Array.Resize(ref keys, n);
            System.Array.Resize(ref values, n);
        }
        return (keys, values);
    }
}
