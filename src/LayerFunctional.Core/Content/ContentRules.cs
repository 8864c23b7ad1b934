using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Content;

/// <summary>
/// The pure decisions of content verification: where a tar member's payload lives in a driver's content
/// folder, which members must be there as regular files, and whether a file on disk matches its entry.
/// </summary>
public static class ContentRules
{
    /// <summary>Drivers whose content folder holds only the layer's own diff (so a regular file that the
    /// tar-split does not list was added). vfs, overlay and btrfs keep a full copy of the parent's files too.</summary>
    /// <param name="driver">The driver name.</param>
    public static bool FolderIsDiffOnly(DriverName driver) => driver.Value is "overlay2" or "fuse-overlayfs" or "aufs";

    /// <summary>Drivers whose layer files can be read offline from a plain folder.</summary>
    /// <param name="driver">The driver name.</param>
    public static bool HasContentFolder(DriverName driver) => driver.Value is "overlay2" or "fuse-overlayfs" or "overlay" or "aufs" or "vfs" or "btrfs";

    /// <summary>The member's path relative to the content folder, as Go's <c>filepath.Join(root, name)</c> after
    /// <c>filepath.Clean</c> (leading <c>/</c> and <c>./</c> dropped); None for the folder itself or a name that
    /// climbs out of it with <c>..</c> (never opened).</summary>
    /// <param name="name">The tar member name.</param>
    public static Option<string> RelativePath(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return None;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? None : Some(string.Join('/', parts));
    }

    /// <summary>The type flag of the header that ends a segment (the header of the file entry that follows it):
    /// the byte at offset 156 of the segment's last 512-byte block.</summary>
    /// <param name="segment">The segment's raw bytes.</param>
    public static Option<byte> TypeFlag(ReadOnlySpan<byte> segment) =>
        segment.Length >= 512 ? Some(segment[segment.Length - 512 + 156]) : None;

    /// <summary>True for a regular file's type flag (<c>'0'</c>, NUL from old tars, <c>'7'</c> contiguous).</summary>
    /// <param name="flag">The type flag; None when unknown (taken as regular).</param>
    public static bool IsRegular(Option<byte> flag) => flag.Match(f => f is (byte)'0' or 0 or (byte)'7', () => true);

    /// <summary>True for an AUFS-style whiteout name (<c>.wh.x</c>): drivers turn these into a character device,
    /// an xattr or a deletion, so the file itself is not in the folder.</summary>
    /// <param name="relativePath">The member's relative path.</param>
    public static bool IsWhiteout(string relativePath) =>
        relativePath[(relativePath.LastIndexOf('/') + 1)..].StartsWith(".wh.", StringComparison.Ordinal);

    /// <summary>True when the member must be in the content folder as a regular file: it has a payload, or it is a
    /// regular file that is not a whiteout.</summary>
    /// <param name="flag">The header's type flag.</param>
    /// <param name="relativePath">The member's relative path.</param>
    /// <param name="size">The member's size.</param>
    public static bool MustBeRegularFile(Option<byte> flag, string relativePath, long size) =>
        size > 0 || (IsRegular(flag) && !IsWhiteout(relativePath));

    /// <summary>True when a regular file found in the folder is driver bookkeeping, not layer content
    /// (aufs keeps <c>.wh..wh.plnk</c>, <c>.wh..wh.orph</c> and <c>.wh..wh.aufs</c>).</summary>
    /// <param name="relativePath">The file's relative path.</param>
    public static bool IsDriverBookkeeping(string relativePath) => relativePath.StartsWith(".wh..wh.", StringComparison.Ordinal);

    /// <summary>Compares a file found on disk with its tar-split entry.</summary>
    /// <param name="relativePath">The member's relative path.</param>
    /// <param name="expectedSize">The entry's size.</param>
    /// <param name="expectedCrc">The entry's CRC-64 (None for an empty file).</param>
    /// <param name="actualSize">The file's length on disk.</param>
    /// <param name="actualCrc">Its CRC-64, when it was computed (None: only sizes compared).</param>
    /// <returns>The difference, or None when they agree.</returns>
    public static Option<ContentDifference> CompareFile(string relativePath, long expectedSize, Option<ulong> expectedCrc, long actualSize, Option<ulong> actualCrc)
    {
        if (actualSize != expectedSize)
            return new ContentDifference(DifferenceKind.FileSize, relativePath,
                $"{relativePath} is {actualSize} bytes on disk, the tar-split records {expectedSize}");
        if (expectedSize > 0 && actualCrc.TrySome(out var actual) && expectedCrc.TrySome(out var expected) && actual != expected)
            return new ContentDifference(DifferenceKind.FileContent, relativePath,
                $"{relativePath}: CRC-64 {actual:x16} on disk, the tar-split records {expected:x16}");
        return None;
    }

    /// <summary>The difference of a rebuilt stream's digest from the diff ID; None when equal.</summary>
    /// <param name="diffId">The layer's diff ID.</param>
    /// <param name="computedHex">The SHA-256 of the rebuilt stream, lower-case hex.</param>
    public static Option<ContentDifference> CompareDigest(DiffID diffId, string computedHex) =>
        diffId.Digest.Algorithm == "sha256" && diffId.Digest.Encoded == computedHex
            ? None
            : new ContentDifference(DifferenceKind.Stream, None,
                $"the rebuilt tar stream hashes to sha256:{computedHex}, not to the diff ID {diffId}");

    /// <summary>The difference of the recorded <c>size</c> from the tar-split's file bytes; None when equal.</summary>
    /// <param name="recorded">The layer's <c>size</c>.</param>
    /// <param name="fileBytes">The sum of the tar-split's file sizes (what moby's ApplyDiff counted).</param>
    public static Option<ContentDifference> CompareRecordedSize(long recorded, long fileBytes) =>
        recorded == fileBytes
            ? None
            : new ContentDifference(DifferenceKind.RecordedSize, None,
                $"the content hashes to the diff ID, but size records {recorded} bytes and the tar-split's files hold {fileBytes}");

    /// <summary>The first regular file of the folder (in the given, ordinal walk order) that the tar-split does not list.</summary>
    /// <param name="found">Regular files found in the folder, relative paths, in walk order.</param>
    /// <param name="listed">Relative paths of every tar-split file entry.</param>
    public static Option<ContentDifference> FirstAdded(IEnumerable<string> found, System.Collections.Generic.ISet<string> listed) =>
        found.Where(f => !listed.Contains(f) && !IsDriverBookkeeping(f))
            .Select(f => new ContentDifference(DifferenceKind.FileAdded, f, $"{f} is in the folder but not in the layer's tar-split"))
            .FirstOrDefault() is { } d ? Some(d) : None;
}
