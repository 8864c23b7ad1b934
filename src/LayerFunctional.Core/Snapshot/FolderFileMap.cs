using System.Collections;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// The files read from one layer or mount folder, by name: a handful of entries (at most the five files
/// <c>loadLayer</c> reads) kept as one small array, sorted by name (ordinal). A layerdb of 100,000 folders holds
/// one per folder, so it is kept lean. The default value is the empty map. Immutable.
/// </summary>
public readonly struct FolderFileMap : IEquatable<FolderFileMap>, IEnumerable<(string Key, RawFile Value)>
{
    private readonly (string Key, RawFile Value)[]? entries;

    private FolderFileMap((string Key, RawFile Value)[] entries) => this.entries = entries;

    /// <summary>A map of these files (a later duplicate name replaces an earlier one).</summary>
    /// <param name="files">File name and what was read.</param>
    public static FolderFileMap Of(IEnumerable<(string Key, RawFile Value)> files)
    {
        // A folder holds a handful of files: a list searched in place beats a map (and its nodes) per folder.
        if (files is IReadOnlyList<(string Key, RawFile Value)> list && Distinct(list))
        {
            var copy = new (string Key, RawFile Value)[list.Count];
            for (var i = 0; i < copy.Length; i++) copy[i] = list[i];
            System.Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            return new FolderFileMap(copy);
        }
        var byName = new List<(string Key, RawFile Value)>(files is ICollection<(string, RawFile)> c ? c.Count : 4);
        foreach (var (name, file) in files)
        {
            var at = 0;
            while (at < byName.Count && !string.Equals(byName[at].Key, name, StringComparison.Ordinal)) at++;
            if (at < byName.Count) byName[at] = (name, file);
            else byName.Add((name, file));
        }
        var sorted = byName.ToArray();
        System.Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new FolderFileMap(sorted);
    }

    private static bool Distinct(IReadOnlyList<(string Key, RawFile Value)> files)
    {
        for (var i = 1; i < files.Count; i++)
            for (var j = 0; j < i; j++)
                if (string.Equals(files[i].Key, files[j].Key, StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>The same files as a LanguageExt map holds them.</summary>
    /// <param name="files">File name to what was read.</param>
    public static implicit operator FolderFileMap(HashMap<string, RawFile> files) => Of(files.AsEnumerable());

    /// <summary>Number of files.</summary>
    public int Count => entries?.Length ?? 0;

    /// <summary>Whether no file was read.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>What was read under <paramref name="name"/>; None when the folder has no such file.</summary>
    /// <param name="name">A file name, e.g. <c>cache-id</c>.</param>
    public Option<RawFile> Find(string name)
    {
        if (entries is null) return None;
        foreach (var (key, value) in entries)
            if (string.Equals(key, name, StringComparison.Ordinal)) return Some(value);
        return None;
    }

    /// <summary>The bytes of file <paramref name="name"/> when it was read whole; None when absent, unreadable or not a
    /// regular file.</summary>
    /// <param name="name">A file name.</param>
    public Option<byte[]> ContentOf(string name) => Find(name).Bind(f => f is RawFile.Content c ? Some(c.Bytes) : None);

    /// <summary>The text of an ID file (<c>cache-id</c>, <c>mount-id</c>, <c>init-id</c>) trimmed as moby trims it
    /// (<see cref="Go.GoText.TrimSpace"/>, invalid UTF-8 as U+FFFD), when it was read and is not blank.</summary>
    /// <param name="name">A file name.</param>
    public Option<string> IdTextOf(string name) =>
        ContentOf(name).Map(b => System.Text.Encoding.UTF8.GetString(Go.GoText.TrimSpace(b))).Filter(s => s.Length > 0);

    /// <summary>The files read whole that exceed <see cref="MetadataLimits.Usual"/>: (name, length in bytes), by name
    /// (ordinal); empty in the usual case.</summary>
    public Seq<(string Name, int Length)> Oversized()
    {
        var oversized = Seq<(string Name, int Length)>();
        foreach (var (name, file) in this)
            if (file is RawFile.Content { Bytes.Length: > MetadataLimits.Usual } c) oversized = oversized.Add((name, c.Bytes.Length));
        return oversized;
    }

    /// <summary>Whether a file of this name was read.</summary>
    /// <param name="name">A file name.</param>
    public bool ContainsKey(string name) => Find(name).IsSome;

    /// <summary>Same names with equal values (<see cref="RawFile"/>'s equality).</summary>
    /// <param name="other">Another map.</param>
    public bool Equals(FolderFileMap other)
    {
        if (Count != other.Count) return false;
        for (var i = 0; i < Count; i++)
            if (!string.Equals(entries![i].Key, other.entries![i].Key, StringComparison.Ordinal) || !entries[i].Value.Equals(other.entries[i].Value)) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FolderFileMap other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => entries is null ? 0 : entries.Aggregate(Count, (h, e) => HashCode.Combine(h, e.Key));

    /// <summary>Equal maps.</summary>
    public static bool operator ==(FolderFileMap left, FolderFileMap right) => left.Equals(right);

    /// <summary>Maps that differ.</summary>
    public static bool operator !=(FolderFileMap left, FolderFileMap right) => !left.Equals(right);

    /// <summary>The files, by name (ordinal).</summary>
    public IEnumerator<(string Key, RawFile Value)> GetEnumerator() => ((IEnumerable<(string Key, RawFile Value)>)(entries ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
