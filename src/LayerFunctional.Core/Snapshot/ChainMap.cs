using System.Collections;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// An immutable map from chain ID to a value: two arrays sorted by chain ID (<see cref="ChainID.Ordinal"/>), searched by
/// halving. It holds what a layerdb read keeps per layer folder (a 100,000-layer store: one entry per folder) at the cost of
/// its two arrays, where a hash trie costs about 90 bytes an entry and many objects to build and walk. Enumeration is in
/// chain-ID order, so what is made from it does not depend on hashing. Of equal keys given to <see cref="Of"/>, the
/// later is kept. The default value is the empty map.
/// </summary>
/// <typeparam name="T">The value per chain ID.</typeparam>
public readonly struct ChainMap<T> : IEquatable<ChainMap<T>>, IEnumerable<(ChainID Key, T Value)>
{
    private readonly ChainID[]? keys;
    private readonly T[]? values;

    private ChainMap(ChainID[]? keys, T[]? values) => (this.keys, this.values) = (keys, values);

    /// <summary>A map of the given entries.</summary>
    /// <param name="entries">Chain ID and value pairs, in any order; of equal chain IDs the later wins.</param>
    public static ChainMap<T> Of(IEnumerable<(ChainID Key, T Value)> entries)
    {
        var (keys, values) = SortedEntries.Of(entries as IReadOnlyList<(ChainID Key, T Value)> ?? [.. entries], ChainID.Ordinal.Compare);
        return new ChainMap<T>(keys, values);
    }

    /// <summary>The same entries as a LanguageExt map holds (tests and callers that build one).</summary>
    /// <param name="entries">The map.</param>
    public static implicit operator ChainMap<T>(HashMap<ChainID, T> entries) => Of(entries);

    /// <summary>Number of entries.</summary>
    public int Count => keys?.Length ?? 0;

    /// <summary>True when there are no entries.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The value of <paramref name="key"/>, if any.</summary>
    /// <param name="key">A chain ID.</param>
    public Option<T> Find(ChainID key)
    {
        var at = IndexOf(key);
        return at >= 0 ? Some(values![at]) : None;
    }

    /// <summary>The value of <paramref name="key"/>, for step-by-step code.</summary>
    /// <param name="key">A chain ID.</param>
    /// <param name="value">The value when found; default otherwise.</param>
    /// <returns>True when found.</returns>
    public bool TryGetValue(ChainID key, out T value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? values![at] : default!;
        return at >= 0;
    }

    /// <summary>Whether <paramref name="key"/> has an entry.</summary>
    /// <param name="key">A chain ID.</param>
    public bool ContainsKey(ChainID key) => IndexOf(key) >= 0;

    /// <summary>The chain IDs, in order.</summary>
    public IEnumerable<ChainID> Keys => keys ?? [];

    /// <summary>The values, in the order of their chain IDs.</summary>
    public IEnumerable<T> Values => values ?? [];

    /// <summary>The entries whose value passes <paramref name="keep"/>.</summary>
    /// <param name="keep">A test of the value.</param>
    public ChainMap<T> Filter(Func<T, bool> keep) => Filter((_, v) => keep(v));

    /// <summary>The entries that pass <paramref name="keep"/>.</summary>
    /// <param name="keep">A test of the chain ID and value.</param>
    public ChainMap<T> Filter(Func<ChainID, T, bool> keep)
    {
        var k = new List<ChainID>();
        var v = new List<T>();
        for (var i = 0; i < Count; i++)
            if (keep(keys![i], values![i]))
            {
                k.Add(keys[i]);
                v.Add(values[i]);
            }
        return new ChainMap<T>([.. k], [.. v]);
    }

    /// <summary>Each value mapped, under the same chain IDs.</summary>
    /// <param name="map">The mapping of the chain ID and value.</param>
    /// <typeparam name="U">The new value type.</typeparam>
    public ChainMap<U> Map<U>(Func<ChainID, T, U> map)
    {
        var v = new U[Count];
        for (var i = 0; i < v.Length; i++) v[i] = map(keys![i], values![i]);
        return ChainMap<U>.Sorted(keys, v);
    }

    // Keys already sorted and distinct (another map's).
    internal static ChainMap<T> Sorted(ChainID[]? keys, T[] values) => new(keys, values);

    // Binary search over the digests themselves: no comparer and delegate call per step (a 100,000-layer check looks chain
    // IDs up millions of times). The same instance is found at once.
    private int IndexOf(ChainID key)
    {
        if (keys is null) return -1;
        int lo = 0, hi = keys.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var at = keys[mid];
            if (ReferenceEquals(at, key)) return mid;
            var c = Digest.CompareOrdinal(at.Digest, key.Digest);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Maps are equal when their chain IDs and values are, entry by entry.</summary>
    /// <param name="other">Another map.</param>
    public bool Equals(ChainMap<T> other)
    {
        if (Count != other.Count) return false;
        var eq = EqualityComparer<T>.Default;
        for (var i = 0; i < Count; i++)
            if (!keys![i].Equals(other.keys![i]) || !eq.Equals(values![i], other.values![i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ChainMap<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Count;

    /// <summary>Entry-by-entry equality.</summary>
    /// <param name="left">A map.</param>
    /// <param name="right">Another map.</param>
    public static bool operator ==(ChainMap<T> left, ChainMap<T> right) => left.Equals(right);

    /// <summary>Entry-by-entry inequality.</summary>
    /// <param name="left">A map.</param>
    /// <param name="right">Another map.</param>
    public static bool operator !=(ChainMap<T> left, ChainMap<T> right) => !left.Equals(right);

    /// <summary>The entries in chain-ID order, without an allocation.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<(ChainID Key, T Value)> IEnumerable<(ChainID Key, T Value)>.GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return (keys![i], values![i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<(ChainID Key, T Value)>)this).GetEnumerator();

    /// <summary>The entries of a map, in chain-ID order.</summary>
    public struct Enumerator
    {
        private readonly ChainMap<T> map;
        private int at;

        internal Enumerator(ChainMap<T> map) => (this.map, at) = (map, -1);

        /// <summary>The current entry.</summary>
        public readonly (ChainID Key, T Value) Current => (map.keys![at], map.values![at]);

        /// <summary>Moves to the next entry.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext() => ++at < map.Count;
    }
}
