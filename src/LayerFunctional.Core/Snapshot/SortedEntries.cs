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
        // The keys sorted in place with their positions beside them (no comparison reaches back into the entries). The sort
        // is not stable: of a run of equal keys, the key is taken from the earliest position and the value from the latest,
        // as a stable sort by key, then position, gives them.
        var keys = new TKey[entries.Count];
        var order = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = entries[i].Key;
            order[i] = i;
        }
        System.Array.Sort(keys, order, Comparer<TKey>.Create(compare));
        var values = new T[keys.Length];
        var n = 0;
        for (var i = 0; i < keys.Length;)
        {
            int first = order[i], last = order[i], end = i + 1;
            for (; end < keys.Length && compare(keys[i], keys[end]) == 0; end++)
            {
                first = Math.Min(first, order[end]);
                last = Math.Max(last, order[end]);
            }
            keys[n] = entries[first].Key;
            values[n++] = entries[last].Value;
            i = end;
        }
        if (n < keys.Length)
        {
            System.Array.Resize(ref keys, n);
            System.Array.Resize(ref values, n);
        }
        return (keys, values);
    }
}
