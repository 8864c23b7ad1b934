namespace LayerFunctional.Snapshot;

/// <summary>
/// One instance per identifier value while a layerdb is read: the chain IDs of the layer folders the listing returns and
/// the folder names of the driver home. A parser hands each chain ID (a <c>parent</c> link) and each cache ID text it made
/// to <see cref="Share(ChainID)"/> / <see cref="Share(string)"/> and keeps what comes back, so that a layer's parent link is
/// the very instance that names its parent's folder, and its cache ID the string of the home's listing. The values are
/// equal either way; only memory differs (a store of 100,000 layers held each chain ID and each cache ID twice).
/// Read-only after construction, so safe to use from several reading threads.
/// </summary>
public sealed class SharedIds
{
    private readonly HashSet<ChainID> chainIds;
    private readonly HashSet<string> names;

    /// <summary>Shares nothing: every value is kept as made.</summary>
    public static SharedIds None { get; } = new([], []);

    /// <summary>A table of known instances.</summary>
    /// <param name="chainIds">Chain IDs, e.g. those of the listed layer folders.</param>
    /// <param name="names">Names, e.g. the entries of the driver home.</param>
    public SharedIds(IEnumerable<ChainID> chainIds, IEnumerable<string> names)
    {
        this.chainIds = [.. chainIds];
        this.names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    /// <summary>The known instance equal to <paramref name="id"/>, or <paramref name="id"/> itself.</summary>
    /// <param name="id">A chain ID just parsed.</param>
    public ChainID Share(ChainID id) => chainIds.TryGetValue(id, out var known) ? known : id;

    /// <summary>The known instance equal to <paramref name="name"/> (ordinal), or <paramref name="name"/> itself.</summary>
    /// <param name="name">A name just decoded, e.g. a cache ID.</param>
    public string Share(string name) => names.TryGetValue(name, out var known) ? known : name;

    /// <summary>
    /// The known name whose UTF-8 bytes are <paramref name="utf8"/>, without decoding them into a new string when it is known;
    /// otherwise the decoded text (as <see cref="System.Text.Encoding.UTF8"/> decodes it).
    /// </summary>
    /// <param name="utf8">Bytes of a name, e.g. a trimmed <c>cache-id</c>.</param>
    public string Share(ReadOnlySpan<byte> utf8) => KnownNames.Decode(utf8, names.GetAlternateLookup<ReadOnlySpan<char>>());
}

/// <summary>Decoding a name's bytes into the instance a set already holds.</summary>
internal static class KnownNames
{
    /// <summary>
    /// UTF-8 bytes as the text <see cref="System.Text.Encoding.UTF8"/> makes of them (invalid bytes as U+FFFD): the instance
    /// <paramref name="known"/> holds when it holds that text (looked up from a pooled buffer: no string is made), a new
    /// string otherwise.
    /// </summary>
    /// <param name="utf8">A name's bytes.</param>
    /// <param name="known">The set's lookup by characters.</param>
    internal static string Decode(ReadOnlySpan<byte> utf8, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> known)
    {
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            var text = buffer.AsSpan(0, System.Text.Encoding.UTF8.GetChars(utf8, buffer));
            return known.TryGetValue(text, out var name) ? name : new string(text);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
