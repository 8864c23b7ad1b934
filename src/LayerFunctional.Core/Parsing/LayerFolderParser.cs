using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Parsing.FolderFiles;

namespace LayerFunctional.Parsing;

/// <summary>
/// The metadata of one read-only layer folder, parsed: what moby's <c>loadLayer</c> builds a
/// <c>roLayer</c> from before it looks at the parent (layer-store.md §4.3).
/// </summary>
/// <param name="ChainID">The ChainID the folder was requested under (its name).</param>
/// <param name="DiffID">From <c>diff</c>.</param>
/// <param name="Size">From <c>size</c>: bytes of this layer's own diff (moby's <c>DiffSize</c>), may be negative.</param>
/// <param name="CacheID">From <c>cache-id</c>.</param>
/// <param name="Parent">From <c>parent</c>; None when the file is absent (a base layer).</param>
/// <param name="Descriptor">From <c>descriptor.json</c>; empty when the file is absent.</param>
public sealed record LayerFolder(
    ChainID ChainID, DiffID DiffID, long Size, CacheID CacheID, Option<ChainID> Parent, LayerDescriptor Descriptor);

/// <summary>
/// Parses a layer folder with the acceptance of moby's <c>fileMetadataStore</c> getters, in
/// <c>loadLayer</c>'s order: <c>diff</c>, <c>size</c>, <c>cache-id</c>, <c>parent</c>, <c>descriptor.json</c>;
/// the first failure wins (§2.2). A folder with no entries at all is <c>layer_dir_empty</c>.
/// </summary>
public static class LayerFolderParser
{
    /// <summary>Parses one layer folder.</summary>
    /// <param name="chainID">The ChainID the folder is loaded under.</param>
    /// <param name="folder">The folder relative to the docker root, e.g. <c>image/overlay2/layerdb/sha256/3f…</c>.</param>
    /// <param name="dir">Its raw content.</param>
    /// <param name="version">Rule set.</param>
    /// <returns>Right: the parsed folder. Left: the first file that fails, with its path.</returns>
    public static Either<LayerError, LayerFolder> Parse(ChainID chainID, string folder, RawDirectory.Present dir, MobyVersion version) =>
        Parse(chainID, folder, dir, version, SharedIds.None);

    /// <summary>Parses one layer folder, its parent link and cache ID shared with known instances (<see cref="SharedIds"/>).</summary>
    /// <param name="chainID">The ChainID the folder is loaded under.</param>
    /// <param name="folder">The folder relative to the docker root.</param>
    /// <param name="dir">Its raw content.</param>
    /// <param name="version">Rule set.</param>
    /// <param name="ids">Known chain IDs and names.</param>
    /// <returns>Right: the parsed folder. Left: the first file that fails, with its path.</returns>
    public static Either<LayerError, LayerFolder> Parse(ChainID chainID, string folder, RawDirectory.Present dir, MobyVersion version, SharedIds ids)
    {
        // Step by step (no closure per step: 100,000 folders are parsed at once); the first Left is the folder's.
        if (dir.EntryNames.IsEmpty) return new LayerError.FolderEmpty(folder);
        var diff = ParseDiff(dir, folder, version);
        if (!diff.TryRight(out var diffID, out var diffError)) return diffError;
        var size = ParseSize(dir, folder);
        if (!size.TryRight(out var bytes, out var sizeError)) return sizeError;
        var cache = ParseCacheID(dir, folder, version, ids);
        if (!cache.TryRight(out var cacheID, out var cacheError)) return cacheError;
        var parent = ParseParent(dir, folder, version, ids);
        if (!parent.TryRight(out var parentLink, out var parentError)) return parentError;
        var descriptor = ParseDescriptor(dir, folder, version);
        if (!descriptor.TryRight(out var described, out var descriptorError)) return descriptorError;
        return new LayerFolder(chainID, diffID, bytes, cacheID, parentLink, described);
    }

    /// <summary><c>diff</c>: trimmed, then go-digest <c>Parse</c> (moby <c>GetDiffID</c>).</summary>
    internal static Either<LayerError, DiffID> ParseDiff(RawDirectory.Present dir, string folder, MobyVersion version)
    {
        if (!Required(dir, folder, "diff", ProblemKind.DiffIdMissing).TryRight(out var b, out var unread)) return unread;
        if (DiffID.ParseFile(b, version).TryRight(out var diff, out var error)) return diff;
        return Malformed(folder + "/diff", ProblemKind.DiffIdInvalid, b, error);
    }

    /// <summary><c>size</c>: <c>strconv.ParseInt(content, 10, 64)</c> on the untrimmed content (moby <c>GetSize</c>).</summary>
    internal static Either<LayerError, long> ParseSize(RawDirectory.Present dir, string folder)
    {
        if (!Required(dir, folder, "size", ProblemKind.SizeMissing).TryRight(out var b, out var unread)) return unread;
        if (GoText.ParseInt64(b).TrySome(out var size)) return size;
        return Malformed(folder + "/size", ProblemKind.SizeInvalid, b,
            "strconv.ParseInt: parsing " + GoText.Quote(b) + ": " + (IsDecimal(b) ? "value out of range" : "invalid syntax"));
    }

    // Go reports "value out of range" for a well-formed number that does not fit in int64.
    private static bool IsDecimal(byte[] b)
    {
        var digits = b.Length > 0 && b[0] is (byte)'+' or (byte)'-' ? b.AsSpan(1) : b.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary><c>cache-id</c>: trimmed; non-empty (18.06+) or 64-hex(-init) (before) (moby <c>GetCacheID</c>).</summary>
    internal static Either<LayerError, CacheID> ParseCacheID(RawDirectory.Present dir, string folder, MobyVersion version, SharedIds ids)
    {
        if (!Required(dir, folder, "cache-id", ProblemKind.CacheIdMissing).TryRight(out var b, out var unread)) return unread;
        if (CacheID.Parse(ids.Share(GoText.TrimSpace(b)), version).TryRight(out var cache, out var error)) return cache;
        return Malformed(folder + "/cache-id", ProblemKind.CacheIdInvalid, b, error);
    }

    /// <summary><c>parent</c>: absent means no parent; present is trimmed and must be a digest, so an
    /// empty file fails (moby <c>GetParent</c>).</summary>
    internal static Either<LayerError, Option<ChainID>> ParseParent(RawDirectory.Present dir, string folder, MobyVersion version, SharedIds ids)
    {
        if (!Optional(dir, folder, "parent").TryRight(out var file, out var unread)) return unread;
        if (!file.TrySome(out var b)) return Option<ChainID>.None;
        if (ChainID.ParseFile(b, version).TryRight(out var parent, out var error)) return Some(ids.Share(parent));
        return Malformed(folder + "/parent", ProblemKind.ParentInvalid, b, error);
    }

    /// <summary><c>descriptor.json</c>: absent means empty; present goes through Go's JSON rules (§1.5).</summary>
    internal static Either<LayerError, LayerDescriptor> ParseDescriptor(RawDirectory.Present dir, string folder, MobyVersion version)
    {
        if (!Optional(dir, folder, "descriptor.json").TryRight(out var file, out var unread)) return unread;
        if (!file.TrySome(out var b)) return LayerDescriptor.Empty;
        if (GoDescriptorJson.Decode(b, version).TryRight(out var descriptor, out var error)) return descriptor;
        return Malformed(folder + "/descriptor.json", ProblemKind.DescriptorInvalid, b, error);
    }
}
