using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Snapshot;

/// <summary>
/// Builds an in-memory <see cref="LayerDbSnapshot"/> from folder contents, as if the shell had read
/// them from disk: every added layer folder is listed as a real directory under <c>sha256/</c> (or, with
/// <see cref="WithUnlistedLayer"/>, only reachable through parent links), every mount folder under
/// <c>mounts/</c>. Immutable: each call returns a new builder.
/// </summary>
/// <param name="RelativePath">The layerdb path relative to the docker root.</param>
/// <param name="Layers">Layer folders by key (<c>sha256/&lt;hex&gt;</c>), with their files.</param>
/// <param name="Unlisted">Keys of layer folders that the listing does not return.</param>
/// <param name="Mounts">Mount folders by name, with their files.</param>
/// <param name="ExtraSha256Entries">Further entries of <c>sha256/</c> (files, symlinks, bad names).</param>
public sealed record SnapshotBuilder(
    string RelativePath,
    HashMap<string, Map<string, RawFile>> Layers,
    LanguageExt.HashSet<string> Unlisted,
    HashMap<string, Map<string, RawFile>> Mounts,
    Seq<DirectoryEntry> ExtraSha256Entries)
{
    /// <summary>An empty layerdb at <c>image/overlay2/layerdb</c>.</summary>
    public static SnapshotBuilder Empty { get; } = new("image/overlay2/layerdb", default, default, default, default);

    /// <summary>Text as the bytes of a file.</summary>
    /// <param name="text">UTF-8 text.</param>
    public static RawFile Text(string text) => new RawFile.Content(Encoding.UTF8.GetBytes(text));

    /// <summary>Adds (or replaces) a listed layer folder named by <paramref name="chainID"/>'s hex.</summary>
    /// <param name="chainID">The folder's ChainID text, e.g. <c>sha256:3f…</c>.</param>
    /// <param name="files">File name to content.</param>
    public SnapshotBuilder WithLayer(string chainID, Map<string, RawFile> files) =>
        this with { Layers = Layers.AddOrUpdate(Key(chainID), files), Unlisted = Unlisted.Remove(Key(chainID)) };

    /// <summary>Adds a layer folder that the listing skips (a symlinked folder, or one under <c>sha512/</c>).</summary>
    /// <param name="chainID">The ChainID text.</param>
    /// <param name="files">File name to content.</param>
    public SnapshotBuilder WithUnlistedLayer(string chainID, Map<string, RawFile> files) =>
        this with { Layers = Layers.AddOrUpdate(Key(chainID), files), Unlisted = Unlisted.AddOrUpdate(Key(chainID)) };

    /// <summary>Adds (or replaces) a mount folder.</summary>
    /// <param name="name">The mount name.</param>
    /// <param name="files">File name to content.</param>
    public SnapshotBuilder WithMount(string name, Map<string, RawFile> files) =>
        this with { Mounts = Mounts.AddOrUpdate(name, files) };

    /// <summary>Adds an entry to the <c>sha256/</c> listing that has no folder content.</summary>
    /// <param name="entry">The entry.</param>
    public SnapshotBuilder WithSha256Entry(DirectoryEntry entry) =>
        this with { ExtraSha256Entries = ExtraSha256Entries.Add(entry) };

    /// <summary>The snapshot, as the shell would produce it (unlisted folders included as reachable).</summary>
    public LayerDbSnapshot Build() =>
        new(RelativePath, true,
            new DirectoryListing.Listed(Layers.Keys
                .Filter(k => !Unlisted.Contains(k) && k.StartsWith("sha256/", StringComparison.Ordinal))
                .Map(k => new DirectoryEntry(k["sha256/".Length..], EntryType.Directory))
                .ToSeq() + ExtraSha256Entries),
            new DirectoryListing.Listed(Mounts.Keys.Map(n => new DirectoryEntry(n, EntryType.Directory)).ToSeq()),
            toHashMap(Layers.AsEnumerable().Choose(kv => ChainIdOfKey(kv.Key).Map(id => (id, (RawDirectory)new RawDirectory.Present(kv.Value.Keys.ToSeq(), toHashMap(kv.Value)))))),
            Mounts.Map(files => (RawDirectory)new RawDirectory.Present(files.Keys.ToSeq(), toHashMap(files))));

    // A folder key as a chain ID, upper-case hex accepted (old releases); a key that is no digest names no folder a load can reach.
    private static Option<ChainID> ChainIdOfKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? None : ChainID.Parse(key[..slash] + ":" + key[(slash + 1)..], MobyVersion.Parse("17.06").IfLeft(MobyVersion.Default)).ToOption();
    }

    private static string Key(string chainID)
    {
        var i = chainID.IndexOf(':', StringComparison.Ordinal);
        return i < 0 ? "sha256/" + chainID : chainID[..i] + "/" + chainID[(i + 1)..];
    }
}
