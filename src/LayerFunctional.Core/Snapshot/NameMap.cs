using System.Collections;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// Entries of one folder listing by name (a driver home's ID folders, overlay2's <c>l/</c> links): two arrays sorted by name
/// (ordinal), looked up by binary search and enumerated in that order. A 100,000-layer store holds 120,000 entries in each
/// of two such maps, so they are kept as flat as a listing: no node or bucket per entry. The search runs over each name's
/// first four characters, packed into one number (<see cref="NameMap.HeadsOf"/>, 8 bytes an entry), and compares whole names
/// only where those agree. The default value is the empty map. Immutable.
/// </summary>
/// <typeparam name="T">What is known of each entry.</typeparam>
public readonly struct NameMap<T> : IEquatable<NameMap<T>>, IEnumerable<(string Key, T Value)>
{
    private readonly string[]? names;
    private readonly ulong[]? heads;
    private readonly T[]? values;

    private NameMap(string[] names, T[] values) => (this.names, heads, this.values) = (names, NameMap.HeadsOf(names), values);

    /// <summary>A map of these entries; a later entry of the same name replaces an earlier one.</summary>
    /// <param name="entries">Name and value, in any order.</param>
    public static NameMap<T> Of(IEnumerable<(string Key, T Value)> entries)
    {
        var (keys, values) = SortedEntries.Of(entries as IReadOnlyList<(string Key, T Value)> ?? [.. entries], string.CompareOrdinal);
        return new NameMap<T>(keys, values);
    }

    /// <summary>A map of names already in ascending ordinal order without repeats, and their values (same length), held as
    /// given (a 120,000-entry listing is not copied to be sorted again); names in any other order are sorted as
    /// <see cref="Of"/> sorts them.</summary>
    /// <param name="names">Entry names, ascending ordinal.</param>
    /// <param name="values">The value of each name, at the same index.</param>
    /// <exception cref="ArgumentException">The arrays differ in length (a caller's mistake, not bad input).</exception>
    public static NameMap<T> OfSorted(string[] names, T[] values)
    {
        if (names.Length != values.Length) throw new ArgumentException("names and values differ in length", nameof(values));
        for (var i = 1; i < names.Length; i++)
            if (string.CompareOrdinal(names[i - 1], names[i]) >= 0) return Of(names.Zip(values).ToArray());
        return new NameMap<T>(names, values);
    }

    /// <summary>The same entries as a LanguageExt map holds them.</summary>
    /// <param name="entries">Name to value.</param>
    public static implicit operator NameMap<T>(HashMap<string, T> entries) => Of(entries.AsEnumerable());

    /// <summary>Number of entries.</summary>
    public int Count => names?.Length ?? 0;

    /// <summary>Whether there is no entry.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The value of entry <paramref name="name"/>; None when there is none.</summary>
    /// <param name="name">An entry name.</param>
    public Option<T> Find(string name) => Find(name.AsSpan());

    /// <summary>The value of entry <paramref name="name"/>, given as characters; None when there is none.</summary>
    /// <param name="name">An entry name.</param>
    public Option<T> Find(ReadOnlySpan<char> name)
    {
        var at = IndexOf(name);
        return at >= 0 ? Some(values![at]) : None;
    }

    /// <summary>Whether there is an entry named <paramref name="name"/>.</summary>
    /// <param name="name">An entry name.</param>
    public bool ContainsKey(string name) => IndexOf(name) >= 0;

    /// <summary>This map with entry <paramref name="name"/> set to <paramref name="value"/>.</summary>
    /// <param name="name">An entry name.</param>
    /// <param name="value">Its value.</param>
    public NameMap<T> SetItem(string name, T value) => Of(this.Append((name, value)));

    /// <summary>The position of <paramref name="name"/> in the map's name order (what the enumeration gives at that step); -1
    /// when the map does not hold it.</summary>
    /// <param name="name">The name to find, as characters.</param>
    public int IndexOf(ReadOnlySpan<char> name) => names is null ? -1 : NameMap.IndexOfSorted(names, heads!, name);

    /// <summary>Same names with equal values.</summary>
    /// <param name="other">Another map.</param>
    public bool Equals(NameMap<T> other)
    {
        if (Count != other.Count) return false;
        var eq = EqualityComparer<T>.Default;
        for (var i = 0; i < Count; i++)
            if (!string.Equals(names![i], other.names![i], StringComparison.Ordinal) || !eq.Equals(values![i], other.values![i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NameMap<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => names is null ? 0 : HashCode.Combine(Count, names.Length > 0 ? names[0] : "", names.Length > 0 ? names[^1] : "");

    /// <summary>Equal maps.</summary>
    public static bool operator ==(NameMap<T> left, NameMap<T> right) => left.Equals(right);

    /// <summary>Maps that differ.</summary>
    public static bool operator !=(NameMap<T> left, NameMap<T> right) => !left.Equals(right);

    /// <summary>The entries, by name (ordinal).</summary>
    public IEnumerator<(string Key, T Value)> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return (names![i], values![i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The search <see cref="NameMap{T}"/> makes, for readers that keep names in a sorted array of their own.</summary>
public static class NameMap
{
    /// <summary>Each name's first four UTF-16 characters packed big-endian into one number (missing characters as 0), so that
    /// a smaller number means a smaller name (ordinal) and equal numbers mean "compare the names". A binary search over these
    /// reads one small array (800 KB for 100,000 names) instead of a string at every step: at 100,000 layers the searches
    /// over the names themselves missed the processor's caches at nearly every step.</summary>
    /// <param name="sortedNames">Names sorted ordinal.</param>
    /// <returns>One number per name, in the same (ascending) order.</returns>
    public static ulong[] HeadsOf(string[] sortedNames)
    {
        var heads = new ulong[sortedNames.Length];
        for (var i = 0; i < heads.Length; i++) heads[i] = HeadOf(sortedNames[i]);
        return heads;
    }

    private static ulong HeadOf(ReadOnlySpan<char> name)
    {
        ulong head = 0;
        for (var i = 0; i < 4; i++) head = head << 16 | (i < name.Length ? name[i] : 0u);
        return head;
    }

    /// <summary>The index of <paramref name="name"/> in <paramref name="sortedNames"/> (sorted ordinal, without repeats) by
    /// binary search over <paramref name="heads"/>; -1 when it is not there.</summary>
    /// <param name="sortedNames">Names sorted ordinal.</param>
    /// <param name="heads">Their <see cref="HeadsOf"/>.</param>
    /// <param name="name">The name to find, as characters.</param>
    public static int IndexOfSorted(string[] sortedNames, ulong[] heads, ReadOnlySpan<char> name)
    {
        var head = HeadOf(name);
        // The first name whose head is not below the wanted one; the names sharing that head follow it in order.
        int lo = 0, hi = heads.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (heads[mid] < head) lo = mid + 1;
            else hi = mid;
        }
        for (var i = lo; i < heads.Length && heads[i] == head; i++)
        {
            var c = sortedNames[i].AsSpan().SequenceCompareTo(name);
            if (c == 0) return i;
            if (c > 0) break;
        }
        return -1;
    }
}
