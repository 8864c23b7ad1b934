using LanguageExt;

namespace LayerFunctional.Snapshot;

/// <summary>
/// Everything the load reads from one <c>image/&lt;driver&gt;/layerdb</c>: the two listings and the
/// raw content of every layer and mount folder. A plain value: the core loads it without I/O.
/// The shell fills <see cref="LayerDirs"/> with the listed folders, then with folders that parent
/// links reach (<see cref="Graph.LayerStoreLoad.UnreadParentFolders(LayerDbSnapshot, MobyVersion)"/>, then
/// <see cref="Graph.LayerStoreLoad.ParentFolderOf"/> for each folder read that way), until nothing is missing.
/// </summary>
/// <param name="RelativePath">The layerdb relative to the docker root, e.g. <c>image/overlay2/layerdb</c>.</param>
/// <param name="Exists">False when the layerdb folder is absent (moby would create it and load nothing).</param>
/// <param name="Sha256">Listing of <c>sha256/</c>.</param>
/// <param name="Mounts">Listing of <c>mounts/</c>.</param>
/// <param name="LayerDirs">Layer folders by the chain ID that names them (folder <c>&lt;algorithm&gt;/&lt;encoded&gt;</c>, e.g. <c>sha256/3f…</c>).</param>
/// <param name="MountDirs">Mount folders by mount name.</param>
public sealed record LayerDbSnapshot(
    string RelativePath,
    bool Exists,
    DirectoryListing Sha256,
    DirectoryListing Mounts,
    HashMap<ChainID, RawDirectory> LayerDirs,
    HashMap<string, RawDirectory> MountDirs)
{
    /// <summary>An absent layerdb at <paramref name="relativePath"/>.</summary>
    /// <param name="relativePath">e.g. <c>image/overlay2/layerdb</c>.</param>
    public static LayerDbSnapshot Absent(string relativePath) =>
        new(relativePath, false, new DirectoryListing.Absent(), new DirectoryListing.Absent(), default, default);

    /// <summary>The files of a layer folder that <c>loadLayer</c> reads, in its order (§4.3).</summary>
    public static Seq<string> LayerFiles { get; } = Prelude.Seq("diff", "size", "cache-id", "parent", "descriptor.json");

    /// <summary>The files of a mount folder that <c>loadMount</c> reads, in its order (§7.1).</summary>
    public static Seq<string> MountFiles { get; } = Prelude.Seq("mount-id", "init-id", "parent");
}

/// <summary>
/// One <c>image/&lt;driver&gt;/layerdb</c> as the load and the checks use it: the two listings, every layer folder parsed
/// as it was read (<see cref="LayerFolderRead"/>: its bytes dropped), and every mount folder parsed as it was read
/// (<see cref="MountFolderRead"/>). The shell builds it
/// folder by folder (the edge's <c>DockerRootReader</c>); <see cref="Of"/> builds it from a raw
/// <see cref="LayerDbSnapshot"/> (tests, generated snapshots). A plain value.
/// </summary>
/// <param name="RelativePath">The layerdb relative to the docker root, e.g. <c>image/overlay2/layerdb</c>.</param>
/// <param name="Exists">False when the layerdb folder is absent.</param>
/// <param name="Sha256">Listing of <c>sha256/</c> split as read (<see cref="SplitListing(DirectoryListing, MobyVersion)"/>): whether it listed, failed or is
/// absent, with only the entries that are not layer folders moby lists (links, files, bad names, leftovers).</param>
/// <param name="ListedLayers">The layer folders moby's listing returns (<see cref="Graph.LayerStoreLoad.ListedLayers"/>), sorted:
/// the same instances as the keys of <paramref name="Layers"/>. A store of 100,000 layers keeps no name text for them.</param>
/// <param name="Mounts">Listing of <c>mounts/</c>.</param>
/// <param name="Layers">Layer folders (listed, and reached by parent links) by the chain ID that names them.</param>
/// <param name="MountFolders">Mount folders by mount name (the listed folders of <c>mounts/</c>), parsed as read.</param>
/// <param name="Version">The rule set the folders were parsed under.</param>
public sealed record LayerDbRead(
    string RelativePath,
    bool Exists,
    DirectoryListing Sha256,
    Seq<ChainID> ListedLayers,
    DirectoryListing Mounts,
    ChainMap<LayerFolderRead> Layers,
    NameMap<MountFolderRead> MountFolders,
    MobyVersion Version)
{
    /// <summary>The folder of a layer relative to the docker root, e.g. <c>image/overlay2/layerdb/sha256/3f…</c>.</summary>
    /// <param name="chainID">The chain ID naming it.</param>
    public string FolderOf(ChainID chainID) => chainID.Digest.FolderPath(RelativePath);

    /// <summary>The folder of a mount as read, if <c>mounts/</c> lists a folder of that name.</summary>
    /// <param name="name">The mount name.</param>
    public Option<MountFolderRead> MountFolder(MountName name) => MountFolders.Find(name.Value);

    /// <summary>Parses every layer folder of a raw snapshot under <paramref name="version"/>.</summary>
    /// <param name="snapshot">The raw snapshot.</param>
    /// <param name="version">Rule set.</param>
    public static LayerDbRead Of(LayerDbSnapshot snapshot, MobyVersion version)
    {
        var (others, listed) = SplitListing(snapshot.Sha256, version);
        return new(snapshot.RelativePath, snapshot.Exists, others, listed, snapshot.Mounts,
            snapshot.LayerDirs.Map((id, dir) => LayerFolderRead.Of(id, snapshot.RelativePath + "/" + id.Digest.FolderKey, dir, version)),
            NameMap<MountFolderRead>.Of(snapshot.MountDirs.AsEnumerable()
                .Map(kv => (kv.Key, MountFolderRead.Of(kv.Key, snapshot.RelativePath + "/mounts/" + kv.Key, kv.Value, version)))),
            version);
    }

    /// <summary>Splits a listing of <c>sha256/</c> into the layer folders moby lists (parsed once, as chain IDs) and the
    /// listing of every other entry (a failed or absent listing stays as it is, with no layers).</summary>
    /// <param name="sha256">The listing as read.</param>
    /// <param name="version">Rule set (digest case).</param>
    public static (DirectoryListing Others, Seq<ChainID> Listed) SplitListing(DirectoryListing sha256, MobyVersion version) =>
        SplitListing(sha256, version, []);

    /// <summary>As <see cref="SplitListing(DirectoryListing, MobyVersion)"/>, for a listing whose canonical layer folders the shell
    /// took out as it listed (named by 64 lower-case hex digits, real folders: what <see cref="Graph.LayerStoreLoad.ListedLayer"/>
    /// lists without a text), given as their chain IDs.</summary>
    /// <param name="sha256">The listing as read, without the folders taken.</param>
    /// <param name="version">Rule set (digest case).</param>
    /// <param name="taken">The chain IDs of the folders taken; ignored when the listing failed or is absent.</param>
    public static (DirectoryListing Others, Seq<ChainID> Listed) SplitListing(DirectoryListing sha256, MobyVersion version, IReadOnlyCollection<ChainID> taken)
    {
        if (sha256 is not DirectoryListing.Listed all) return (sha256, Prelude.Empty);
        var listed = new List<ChainID>(taken.Count + all.Entries.Count);
        listed.AddRange(taken);
        var others = new List<DirectoryEntry>();
        foreach (var e in all.Entries)
            if (Graph.LayerStoreLoad.ListedLayer(e, version).TrySome(out var id)) listed.Add(id);
            else others.Add(e);
        listed.Sort((a, b) => Digest.CompareEncoded(a.Digest, b.Digest));
        return (new DirectoryListing.Listed(others.ToSeq().Strict()), listed.ToSeq().Strict());
    }
}
