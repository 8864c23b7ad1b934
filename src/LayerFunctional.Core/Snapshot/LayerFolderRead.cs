using LanguageExt;
using LayerFunctional.Parsing;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// One layer folder of <c>layerdb/sha256</c> (or one reached by a parent link) as the load and the checks need it,
/// parsed when it is read so that its bytes can be dropped: what <c>loadLayer</c> makes of it, and the few raw facts the
/// checks beyond moby's look at. Built by <see cref="Of(ChainID, string, RawDirectory, MobyVersion)"/> from a <see cref="RawDirectory"/>; about 300 bytes a folder
/// instead of its files' bytes.
/// </summary>
/// <remarks>Held as few fields as it needs (a store of 100,000 layers has 100,000): a folder that parses keeps only its
/// <see cref="LayerFolder"/>, whose parent and cache ID are <see cref="ParentLink"/> and <see cref="CacheIdText"/>; the
/// parent link and cache ID text are kept apart only for a folder that fails.</remarks>
public sealed record LayerFolderRead
{
    // A LayerFolder (the folder parses) or a LayerError.
    private readonly object parsed;
    // Whether the parent link and the cache-id text are the parsed folder's own (always, when built by Of).
    private readonly bool fromFolder;
    // Otherwise (a folder that fails): its parent link and cache-id text, when they read.
    private readonly ChainID? parentLink;
    private readonly string? cacheIdText;
    // Null when no file is oversized (the usual case).
    private readonly (string Name, int Length)[]? oversized;

    /// <summary>A folder as read.</summary>
    /// <param name="Parsed">Right: the folder's metadata as <c>loadLayer</c> reads it (<see cref="LayerFolderParser"/>); Left:
    /// the first file that fails, or the folder that cannot be read (for <see cref="Missing"/>: no folder to fail).</param>
    /// <param name="ParentLink">The chain ID its <c>parent</c> file names, if that file reads and parses, whatever else fails
    /// (parent links are followed to folders the listing skips, and to the root cause of a failure).</param>
    /// <param name="CacheIdText">The trimmed text of its <c>cache-id</c> when the file reads and is not blank, valid or not:
    /// a driver folder it names is never an orphan.</param>
    /// <param name="HasTarSplit">Whether the folder lists a <c>tar-split.json.gz</c> entry.</param>
    /// <param name="Oversized">Files read whole that exceed <see cref="MetadataLimits.Usual"/>: (name, bytes), by name.</param>
    public LayerFolderRead(Either<LayerError, LayerFolder> Parsed, Option<ChainID> ParentLink, Option<string> CacheIdText, bool HasTarSplit,
        Seq<(string Name, int Length)> Oversized)
    {
        parsed = Parsed.TryRight(out var folder, out var error) ? folder : error;
        fromFolder = Parsed.IsRight && ParentLink == folder.Parent
            && CacheIdText.Exists(t => string.Equals(t, folder.CacheID.Value, StringComparison.Ordinal));
        if (!fromFolder)
        {
            parentLink = ParentLink.TrySome(out var p) ? p : null;
            cacheIdText = CacheIdText.TrySome(out var c) ? c : null;
        }
        this.HasTarSplit = HasTarSplit;
        oversized = Oversized.IsEmpty ? null : Oversized.ToArray();
    }

    /// <summary>Right: the folder's metadata as <c>loadLayer</c> reads it (<see cref="LayerFolderParser"/>); Left: the
    /// first file that fails, or the folder that cannot be read (for <see cref="Missing"/>: no folder to fail).</summary>
    public Either<LayerError, LayerFolder> Parsed => parsed is LayerFolder folder ? folder : (LayerError)parsed;

    /// <summary>The chain ID its <c>parent</c> file names, if that file reads and parses, whatever else fails.</summary>
    public Option<ChainID> ParentLink => fromFolder ? ((LayerFolder)parsed).Parent : Optional(parentLink);

    /// <summary>The trimmed text of its <c>cache-id</c> when the file reads and is not blank, valid or not.</summary>
    public Option<string> CacheIdText => fromFolder ? ((LayerFolder)parsed).CacheID.Value : Optional(cacheIdText);

    /// <summary>Whether the folder lists a <c>tar-split.json.gz</c> entry.</summary>
    public bool HasTarSplit { get; }

    /// <summary>Whether the shell's listing of the folder showed <c>tar-split.json.gz</c> as a regular file (so the root read
    /// opens it without asking its type again); false when it did not say, or showed another type.</summary>
    public bool TarSplitIsRegular { get; init; }

    /// <summary>Files read whole that exceed <see cref="MetadataLimits.Usual"/>: (name, bytes), by name.</summary>
    public Seq<(string Name, int Length)> Oversized => oversized is null ? Empty : oversized.ToSeq();

    /// <summary>Equal when what they hold is.</summary>
    /// <param name="other">Another folder read.</param>
    public bool Equals(LayerFolderRead? other) => other is not null && Parsed == other.Parsed && ParentLink == other.ParentLink
        && CacheIdText == other.CacheIdText && HasTarSplit == other.HasTarSplit && TarSplitIsRegular == other.TarSplitIsRegular
        && Oversized == other.Oversized;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ParentLink, CacheIdText, HasTarSplit);

    /// <summary>Parses one folder as read.</summary>
    /// <param name="chainID">The chain ID that names the folder.</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">What the shell read there.</param>
    /// <param name="version">Rule set.</param>
    public static LayerFolderRead Of(ChainID chainID, string folder, RawDirectory dir, MobyVersion version) =>
        Of(chainID, folder, dir, version, SharedIds.None);

    /// <summary>Parses one folder as read, its parent link and cache ID shared with known instances.</summary>
    /// <param name="chainID">The chain ID that names the folder.</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">What the shell read there.</param>
    /// <param name="version">Rule set.</param>
    /// <param name="ids">Known chain IDs and names (<see cref="SharedIds"/>).</param>
    public static LayerFolderRead Of(ChainID chainID, string folder, RawDirectory dir, MobyVersion version, SharedIds ids) =>
        Of(chainID, folder, dir, version, ids, tarSplitIsRegular: false);

    /// <summary>Parses one folder as read, as <see cref="Of(ChainID, string, RawDirectory, MobyVersion, SharedIds)"/>, with what
    /// the shell's listing said of its tar-split (<see cref="TarSplitIsRegular"/>).</summary>
    /// <param name="chainID">The chain ID that names the folder.</param>
    /// <param name="folder">The folder relative to the docker root (paths in errors).</param>
    /// <param name="dir">What the shell read there.</param>
    /// <param name="version">Rule set.</param>
    /// <param name="ids">Known chain IDs and names (<see cref="SharedIds"/>).</param>
    /// <param name="tarSplitIsRegular">Whether the listing showed <c>tar-split.json.gz</c> as a regular file.</param>
    public static LayerFolderRead Of(ChainID chainID, string folder, RawDirectory dir, MobyVersion version, SharedIds ids, bool tarSplitIsRegular) => dir switch
    {
        RawDirectory.Present p => FromParse(LayerFolderParser.Parse(chainID, folder, p, version, ids), p, version, ids, tarSplitIsRegular),
        RawDirectory.Unreadable u => Failed(new LayerError.FileUnreadable(folder, ProblemKind.EntryUnreadable, u.Reason)),
        RawDirectory.OutsideRoot o => Failed(new LayerError.FileUnreadable(folder, ProblemKind.SymlinkOutsideRoot,
            $"symbolic link to {o.Target}, outside the docker root (not followed)")),
        _ => Missing(folder),
    };

    // A folder that parses holds its parent link and cache ID already: they are shared, not parsed again.
    private static LayerFolderRead FromParse(Either<LayerError, LayerFolder> parsed, RawDirectory.Present dir, MobyVersion version, SharedIds ids,
        bool tarSplitIsRegular)
    {
        var parses = parsed.TryRight(out var folder);
        return new LayerFolderRead(
            parsed,
            parses ? folder.Parent : ParentOf(dir, version).Map(ids.Share),
            parses
                ? Some(folder.CacheID.Value)
                : dir.Files.IdTextOf("cache-id"),
            dir.EntryNames.Exists(n => n == "tar-split.json.gz"),
            dir.Files.Oversized()) { TarSplitIsRegular = tarSplitIsRegular };
    }

    /// <summary>No such folder: a parent link leads to nothing (<see cref="LayerError.FolderMissing"/>).</summary>
    /// <param name="folder">The folder relative to the docker root.</param>
    public static LayerFolderRead Missing(string folder) => Failed(new LayerError.FolderMissing(folder));

    /// <summary>Whether there is no such folder (<see cref="Missing"/>).</summary>
    public bool IsMissing => Parsed.TryLeft(out var error) && error is LayerError.FolderMissing;

    private static LayerFolderRead Failed(LayerError error) => new(error, None, None, false, Empty);

    /// <summary>The chain ID a folder's <c>parent</c> file names, if it reads and parses.</summary>
    /// <param name="dir">A layer or mount folder as read.</param>
    /// <param name="version">Rule set (digest case).</param>
    public static Option<ChainID> ParentOf(RawDirectory.Present dir, MobyVersion version) =>
        dir.Files.ContentOf("parent")
            .Bind(bytes => ChainID.ParseFile(bytes, version).ToOption());
}
