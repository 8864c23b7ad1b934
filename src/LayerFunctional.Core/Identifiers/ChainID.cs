using System.Text;
using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// Identity of a layer with all its ancestors, and the name of its folder under <c>layerdb/sha256</c>
/// (layer-store.md §5; moby <c>layer/layer.go ChainID</c>). A value that exists passed digest validation.
/// </summary>
public sealed record ChainID
{
    private ChainID(Digest digest) => Digest = digest;

    /// <summary>The digest, as written on disk.</summary>
    public Digest Digest { get; }

    /// <summary><c>sha256:&lt;hex&gt;</c>.</summary>
    public override string ToString() => Digest.ToString();

    /// <summary>The first 12 hex characters, as docker prints short IDs.</summary>
    public string Short => Digest.Short;

    /// <summary>Wraps a validated digest.</summary>
    /// <param name="digest">Any valid digest.</param>
    public static ChainID FromDigest(Digest digest) => new(digest);

    /// <summary>Equal when the digests are (the same text): the digest's words compared directly, without the record's
    /// type check and generic comparers (chain IDs key the sets and maps of a 100,000-layer check).</summary>
    /// <param name="other">Another chain ID.</param>
    public bool Equals(ChainID? other) => other is not null && (ReferenceEquals(this, other) || Digest.Equals(other.Digest));

    /// <summary>The digest's hash.</summary>
    public override int GetHashCode() => Digest.GetHashCode();

    /// <summary>Orders chain IDs as their texts compare ordinal (the report's order), without building text.</summary>
    public static IComparer<ChainID> Ordinal { get; } = Comparer<ChainID>.Create((a, b) => Digest.CompareOrdinal(a.Digest, b.Digest));

    /// <summary>Parses trimmed text as go-digest does (see <see cref="Digest.Parse"/>).</summary>
    /// <param name="text">Trimmed text.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the ChainID. Left: go-digest's error text.</returns>
    public static Either<string, ChainID> Parse(string text, MobyVersion version) =>
        Digest.Parse(text, version).Map(d => new ChainID(d));

    /// <summary>Parses a metadata file's content (untrimmed) as moby does; see <see cref="Digest.ParseFile"/>.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the ChainID. Left: go-digest's error text.</returns>
    public static Either<string, ChainID> ParseFile(ReadOnlySpan<byte> content, MobyVersion version) =>
        // Matched, not mapped: LanguageExt's Map makes a closure per call (100,000 parent files).
        Digest.ParseFile(content, version).TryRight(out var digest, out var error) ? new ChainID(digest) : error;

    /// <summary>Whether <paramref name="expected"/> is what <see cref="Compute"/> gives, without building the computed
    /// ChainID's text (the loader checks every loaded layer; only a mismatch needs the text, for its message).</summary>
    /// <param name="parent">The parent's ChainID, or None for a base layer.</param>
    /// <param name="diff">The layer's own DiffID.</param>
    /// <param name="expected">The ChainID to compare with (its folder's name).</param>
    public static bool Matches(Option<ChainID> parent, DiffID diff, ChainID expected)
    {
        if (!parent.TrySome(out var p)) return diff.Digest.Equals(expected.Digest);
        // Only a canonical sha256 chain ID can equal a computed one (the hash is lower-case sha256).
        if (!expected.Digest.IsCanonicalSha256) return false;
        Span<byte> hash = stackalloc byte[32];
        HashOfPair(p, diff, hash);
        return expected.Digest.HasSha256(hash);
    }

    // SHA-256 of the ASCII bytes "<parent> <diff>", built on the stack: a digest's text is at most "sha512:" and 128 hex
    // digits (135 bytes; go-digest accepts no other), so the pair is at most 271 bytes.
    private static void HashOfPair(ChainID parent, DiffID diff, Span<byte> hash)
    {
        Span<byte> input = stackalloc byte[parent.Digest.TextLength + 1 + diff.Digest.TextLength];
        var at = parent.Digest.WriteAscii(input);
        input[at] = (byte)' ';
        diff.Digest.WriteAscii(input[(at + 1)..]);
        System.Security.Cryptography.SHA256.HashData(input, hash);
    }

    /// <summary>
    /// The image-spec ChainID rule: ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256 of the ASCII bytes
    /// <c>"&lt;ChainID(Ln-1)&gt; &lt;DiffID(Ln)&gt;"</c> (one space, no newline), as moby's
    /// <c>createChainIDFromParent</c> (to 28.x) and <c>identity.ChainID</c> (29.0) compute it.
    /// </summary>
    /// <param name="parent">The parent's ChainID, or None for a base layer.</param>
    /// <param name="diff">The layer's own DiffID.</param>
    public static ChainID Compute(Option<ChainID> parent, DiffID diff)
    {
        if (!parent.TrySome(out var p)) return new ChainID(diff.Digest);
        Span<byte> hash = stackalloc byte[32];
        HashOfPair(p, diff, hash);
        return new ChainID(Digest.FromSha256(hash));
    }
}

/// <summary>
/// The digest of one uncompressed layer tar, read from <c>sha256/&lt;hex&gt;/diff</c> (moby
/// <c>filestore.go GetDiffID</c>). Distinct from <see cref="ChainID"/>, although moby aliases both to a digest.
/// </summary>
public readonly record struct DiffID
{
    private DiffID(Digest digest) => Digest = digest;

    /// <summary>The digest as written.</summary>
    public Digest Digest { get; }

    /// <summary><c>sha256:&lt;hex&gt;</c>.</summary>
    public override string ToString() => Digest.ToString();

    /// <summary>Wraps a validated digest.</summary>
    /// <param name="digest">Any valid digest.</param>
    public static DiffID FromDigest(Digest digest) => new(digest);

    /// <summary>Parses trimmed text as go-digest does.</summary>
    /// <param name="text">Trimmed text.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the DiffID. Left: go-digest's error text.</returns>
    public static Either<string, DiffID> Parse(string text, MobyVersion version) =>
        Digest.Parse(text, version).Map(d => new DiffID(d));

    /// <summary>Parses a metadata file's content (untrimmed) as moby does; see <see cref="Digest.ParseFile"/>.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the DiffID. Left: go-digest's error text.</returns>
    public static Either<string, DiffID> ParseFile(ReadOnlySpan<byte> content, MobyVersion version) =>
        // Matched, not mapped: LanguageExt's Map makes a closure per call (100,000 diff files).
        Digest.ParseFile(content, version).TryRight(out var digest, out var error) ? new DiffID(digest) : error;
}
