using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Containerd;

/// <summary>
/// What the shell read of the containerd store dockerd uses (docker29-containerd-repair.md §1.4): its metadata store, the
/// chosen snapshotter's own store and snapshot folders, and the content store's blob files. Paths relative to the docker
/// root (or to the containerd root given apart).
/// </summary>
/// <param name="Root">The containerd root as shown in paths (e.g. <c>containerd/daemon</c>).</param>
/// <param name="Snapshotter">The snapshotter dockerd uses (overlayfs unless one was named).</param>
/// <param name="MetaDb"><c>io.containerd.metadata.v1.bolt/meta.db</c>; None when absent.</param>
/// <param name="SnapshotterDb"><c>io.containerd.snapshotter.v1.&lt;snapshotter&gt;/metadata.db</c>; None when absent.</param>
/// <param name="SnapshotFolders">The listing of that snapshotter's <c>snapshots/</c>.</param>
/// <param name="Blobs">The listing of <c>io.containerd.content.v1.content/blobs/sha256/</c>.</param>
public sealed record ContainerdStoreSnapshot(string Root, string Snapshotter, Option<RawFile> MetaDb, Option<RawFile> SnapshotterDb,
    DirectoryListing SnapshotFolders, DirectoryListing Blobs)
{
    /// <summary>When the shell read it: garbage collection then drops leases already expired (None: every lease holds).</summary>
    public Option<DateTimeOffset> ReadAt { get; init; }

    /// <summary>The store's folders (<see cref="BlobsPath"/>, the snapshotter's <c>snapshots</c>) that a symbolic link on the
    /// way leads out of the root, each with where it leads: not listed, and their files not read.</summary>
    public Seq<(string Path, string Target)> OutsideRoot { get; init; }

    /// <summary>The metadata store's path.</summary>
    public string MetaDbPath => MetaDbUnder(Root);

    /// <summary>The snapshotter dockerd's containerd image store uses unless one is named (moby 29 <c>overlayfs</c>).</summary>
    public const string DefaultSnapshotter = "overlayfs";

    /// <summary>Where dockerd keeps the containerd it starts itself, relative to the docker root (moby
    /// <c>daemon/command/daemon.go</c>: <c>&lt;data-root&gt;/containerd/daemon</c>).</summary>
    public const string ManagedRoot = "containerd/daemon";

    /// <summary>containerd's metadata store under a containerd root: <c>&lt;root&gt;/io.containerd.metadata.v1.bolt/meta.db</c>.</summary>
    /// <param name="root">A containerd root, as shown.</param>
    public static string MetaDbUnder(string root) => root + "/io.containerd.metadata.v1.bolt/meta.db";

    /// <summary>The snapshotter's folder.</summary>
    public string SnapshotterPath => Root + "/io.containerd.snapshotter.v1." + Snapshotter;

    /// <summary>The content store's blob folder.</summary>
    public string BlobsPath => Root + "/io.containerd.content.v1.content/blobs/sha256";
}

/// <summary>What dockerd will list from the containerd store, in Docker's <c>moby</c> namespace: its images, the snapshots of
/// the snapshotter in use, and the counts of its blobs, container records and leases (what <c>ctr -n moby images ls</c>,
/// <c>snapshots ls</c>, <c>content ls</c>, <c>containers ls</c> and <c>leases ls</c> list).</summary>
/// <param name="Root">The containerd root as shown in paths.</param>
/// <param name="Snapshotter">The snapshotter.</param>
/// <param name="Images">Image records, by name.</param>
/// <param name="Snapshots">Snapshot records of the snapshotter, by key.</param>
/// <param name="Blobs">Content blob records.</param>
/// <param name="BlobBytes">The sizes their records give, summed (bytes).</param>
/// <param name="Containers">Container record IDs, in order.</param>
/// <param name="Leases">Lease IDs, in order (Docker holds a container's snapshots with a lease named by its ID).</param>
public sealed record ContainerdStoreView(string Root, string Snapshotter, Seq<ContainerdImage> Images, Seq<ContainerdSnapshotEntry> Snapshots,
    int Blobs, long BlobBytes, Seq<string> Containers, Seq<string> Leases)
{
    /// <summary>Image name → the digests of the image configs its manifests name (<c>containerd.io/gc.ref.content.config</c> on a
    /// manifest's record, through an index's <c>containerd.io/gc.ref.content.m.*</c>): what a graph-driver store's image ID is.
    /// Empty for an image whose records do not say.</summary>
    public HashMap<string, Seq<string>> Configs { get; init; }

    /// <summary>Image name → the snapshot its config's <c>containerd.io/gc.ref.snapshot.&lt;snapshotter&gt;</c> label names: its
    /// top layer unpacked (the chain ID); absent for an image not unpacked for this snapshotter.</summary>
    public HashMap<string, string> ImageTops { get; init; }

    /// <summary>Image name → every blob digest it needs (its target and what the content labels lead to), in walk order.</summary>
    public HashMap<string, Seq<string>> ImageBlobs { get; init; }

    /// <summary>Blob digest → the size its record gives (None when the record has none), for every blob record.</summary>
    public HashMap<string, Option<long>> BlobSizes { get; init; }

    /// <summary>False when there is no metadata store at <see cref="Root"/> (containerd makes an empty one: dockerd lists no image).</summary>
    public bool Found { get; init; } = true;

    /// <summary>A store with nothing in Docker's namespace.</summary>
    /// <param name="root">The containerd root as shown in paths.</param>
    /// <param name="snapshotter">The snapshotter.</param>
    public static ContainerdStoreView Empty(string root, string snapshotter) => new(root, snapshotter, default, default, 0, 0, default, default);
}

/// <summary>One snapshot as <c>ctr snapshots ls</c> lists it.</summary>
/// <param name="Key">Its key (Docker: a chain ID for an image layer; the container ID and <c>&lt;id&gt;-init</c> for a container).</param>
/// <param name="Parent">Its parent's key; None for a base layer.</param>
/// <param name="Kind">Its kind from the snapshotter's own store; <see cref="SnapshotKind.Unknown"/> when that store has no record of it or was not read.</param>
public sealed record ContainerdSnapshotEntry(string Key, Option<string> Parent, SnapshotKind Kind)
{
    /// <summary>The number naming its folder <c>snapshots/&lt;ID&gt;</c> in the snapshotter's own store; None when that store has
    /// no record of it or was not read.</summary>
    public Option<ulong> Id { get; init; }
}

/// <summary>
/// The containerd store against itself (issue "Docker 29"): an image whose target blob is gone, a snapshot record without the
/// snapshotter's record or its folder, a snapshot whose parent is gone, and snapshot folders no record names. Pure: the
/// bbolt files are parsed here (<see cref="BoltFile"/>), and a damaged one is a finding, never an exception.
/// </summary>
public static class ContainerdChecks
{
    /// <summary>The view and the findings; an empty view, not <see cref="ContainerdStoreView.Found"/>, when the metadata store is
    /// absent; no view when it cannot be read.</summary>
    /// <param name="store">What the shell read.</param>
    public static (Option<ContainerdStoreView> View, Seq<Problem> Problems) Check(ContainerdStoreSnapshot store)
    {
        if (!store.MetaDb.TrySome(out var metaFile)) return (Some(ContainerdStoreView.Empty(store.Root, store.Snapshotter) with { Found = false }), Empty);
        return Open(metaFile, store.MetaDbPath).Bind(db => ContainerdMetadata.Namespace(db).MapLeft(e => Invalid(store.MetaDbPath, e.Text)))
            .Match(
                Left: problem => (None, Seq1(problem)),
                Right: ns => ns.Match(
                    None: () => (Some(ContainerdStoreView.Empty(store.Root, store.Snapshotter)), Empty),
                    Some: moby => Findings(store, moby)));
    }

    /// <summary>The view and findings of a namespace already read (what <see cref="Check"/> does once the files are open).</summary>
    internal static (Option<ContainerdStoreView> View, Seq<Problem> Problems) Findings(ContainerdStoreSnapshot store, ContainerdNamespace moby)
    {
        var problems = new List<Problem>();
        problems.AddRange(store.OutsideRoot.OrderBy(o => o.Path, StringComparer.Ordinal).Map(o => OutsideRootAt(o.Path, o.Target)));
        var snapshots = moby.Snapshots.Filter(s => s.Snapshotter == store.Snapshotter).Strict();
        // The blobs an image needs, from its target (a manifest or an index) down the content labels containerd set when it
        // stored them (an index names its manifests, a manifest its config and layers): a blob without its record or its file
        // is missing (once, under the first image by name that needs it).
        var blobFiles = Names(store.Blobs);
        var records = moby.Blobs.ToDictionary(b => b.Digest, StringComparer.Ordinal);
        var reported = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var image in moby.Images.OrderBy(i => i.Name, StringComparer.Ordinal))
            foreach (var digest in Needed(image, records))
            {
                var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : "";
                if (hex.Length == 0) continue;
                var recordMissing = !records.ContainsKey(digest);
                if ((recordMissing || blobFiles.Exists(files => !files.Contains(hex))) && reported.Add(digest))
                    problems.Add(Found(ProblemKind.ContainerdBlobMissing, Severity.Error, store.BlobsPath + "/" + hex,
                        new Fact.ContainerdBlobMissing(digest, image.Name, recordMissing)));
            }
        // What garbage collection deletes at its next run: blobs and snapshots no image, container, lease or root label holds.
        var reachable = ContainerdGc.Reachable(moby, store.ReadAt);
        foreach (var blob in moby.Blobs.Filter(b => !reachable.Content.Contains(b.Digest) && b.Digest.StartsWith("sha256:", StringComparison.Ordinal)))
            problems.Add(Found(ProblemKind.ContainerdBlobUnreferenced, Severity.Info, store.BlobsPath + "/" + blob.Digest["sha256:".Length..],
                new Fact.ContainerdBlobUnreferenced(blob.Digest)) with { Bytes = blob.Size });
        // Snapshot records of the metadata store against the snapshotter's own records and folders.
        var own = store.SnapshotterDb.Map(f => Open(f, store.SnapshotterPath + "/metadata.db")
            .Bind(db => ContainerdMetadata.SnapshotterRecords(db).MapLeft(e => Invalid(store.SnapshotterPath + "/metadata.db", e.Text))));
        var byName = new Dictionary<string, SnapshotterRecord>(StringComparer.Ordinal);
        foreach (var result in own)
            result.Match(Left: problems.Add, Right: recs => { foreach (var r in recs) byName.TryAdd(r.Name, r); });
        var ownRead = own.Exists(r => r.IsRight);
        var keys = snapshots.Map(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var folders = Names(store.SnapshotFolders);
        foreach (var s in snapshots)
        {
            var recordPath = $"{store.MetaDbPath}:v1/moby/snapshots/{store.Snapshotter}/{s.Key}";
            if (!reachable.Snapshots.Contains((s.Snapshotter, s.Key)))
                problems.Add(Found(ProblemKind.ContainerdSnapshotUnreferenced, Severity.Info, recordPath, new Fact.ContainerdSnapshotUnreferenced(s.Key, store.Snapshotter)));
            if (s.Parent.TrySome(out var parent) && !keys.Contains(parent))
                problems.Add(Found(ProblemKind.ContainerdSnapshotParentMissing, Severity.Error, recordPath, new Fact.ContainerdSnapshotParentMissing(s.Key, parent)));
            if (!ownRead) continue;
            if (!byName.TryGetValue(s.BackendName, out var mine))
                problems.Add(Found(ProblemKind.ContainerdSnapshotMissing, Severity.Error, recordPath, new Fact.ContainerdSnapshotMissing(s.Key, s.BackendName, store.Snapshotter)));
            else if (mine.Id.TrySome(out var id) && folders.Exists(f => !f.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                problems.Add(Found(ProblemKind.ContainerdSnapshotDirMissing, Severity.Error, $"{store.SnapshotterPath}/snapshots/{id}",
                    new Fact.ContainerdSnapshotDirMissing(s.Key, store.Snapshotter)));
        }
        // Folders under snapshots/ that no record of the snapshotter names: space nothing frees.
        if (ownRead && folders.TrySome(out var present))
        {
            var named = byName.Values.Choose(r => r.Id).Map(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
            foreach (var folder in present.Where(f => !named.Contains(f)).Order(StringComparer.Ordinal))
                problems.Add(Found(ProblemKind.ContainerdOrphanSnapshotDir, Severity.Warning, $"{store.SnapshotterPath}/snapshots/{folder}",
                    new Fact.ContainerdOrphanSnapshotDir(store.Snapshotter)));
        }
        var entries = snapshots.OrderBy(x => x.Key, StringComparer.Ordinal)
            .Map(x => byName.TryGetValue(x.BackendName, out var r)
                ? new ContainerdSnapshotEntry(x.Key, x.Parent, r.Kind) { Id = r.Id }
                : new ContainerdSnapshotEntry(x.Key, x.Parent, SnapshotKind.Unknown)).ToSeq().Strict();
        var configs = toHashMap(moby.Images.Map(i => (i.Name, ConfigsOf(i, records))));
        var view = new ContainerdStoreView(store.Root, store.Snapshotter, moby.Images, entries, moby.Blobs.Count, moby.Blobs.Map(b => b.Size.IfNone(0)).Sum(),
            moby.Containers.Map(c => c.Id).Strict(), moby.Leases.Map(l => l.Id).Strict())
        {
            Configs = configs,
            BlobSizes = toHashMap(moby.Blobs.Map(b => (b.Digest, b.Size))),
            ImageTops = toHashMap(moby.Images.Choose(i => configs.Find(i.Name).Bind(c => c.HeadOrNone())
                .Bind(c => records.TryGetValue(c, out var b) ? b.Labels.Find("containerd.io/gc.ref.snapshot." + store.Snapshotter) : None)
                .Map(top => (i.Name, top)))),
            ImageBlobs = toHashMap(moby.Images.Map(i => (i.Name, Needed(i, records).ToSeq().Strict()))),
        };
        return (Some(view), problems.ToSeq().Strict());
    }

    /// <summary>The blob files <c>check --content</c> reads: every sha256 blob with a record whose file the blob folder lists
    /// and that was not found missing already (a blob no record names is not containerd's); every recorded sha256 blob when
    /// the folder could not be listed, so that each read says why it failed; none when a link leads the folder out of the
    /// root (<see cref="ContainerdStoreSnapshot.OutsideRoot"/>). Only a record key of 64 lower-case hex digits names a file.</summary>
    /// <param name="store">The store as read.</param>
    /// <param name="sizes">Blob digest → the size its record gives, if any (<see cref="ContainerdStoreView.BlobSizes"/>).</param>
    /// <param name="found">The findings of <see cref="Check"/>.</param>
    /// <returns>Hex digest and record size of each blob to read, in hex order.</returns>
    public static Seq<(string Hex, Option<long> Size)> BlobsToHash(ContainerdStoreSnapshot store, HashMap<string, Option<long>> sizes, Seq<Problem> found)
    {
        // A blob folder a link leads out of the root is not read at all (a finding says so).
        if (store.OutsideRoot.Exists(o => o.Path == store.BlobsPath)) return Empty;
        var missing = found.Filter(p => p.Kind == ProblemKind.ContainerdBlobMissing).Map(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var files = Names(store.Blobs);
        // Only a SHA-256 digest names a file: the record's key is not trusted to stay inside the folder ("../").
        return sizes.Filter((d, _) => d.StartsWith("sha256:", StringComparison.Ordinal) && Digest.TryCanonicalHex(d.AsSpan(7), out Digest _) && files.ForAll(f => f.Contains(d[7..]))
                && !missing.Contains(store.BlobsPath + "/" + d[7..]))
            .Map((d, size) => (Hex: d[7..], Size: size)).Values.OrderBy(b => b.Hex, StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <summary>The snapshot folders no snapshot record names (<c>containerd_orphan_snapshot_dir</c> findings): the paths the
    /// shell measures for the clean-up plan, in finding order.</summary>
    /// <param name="found">The findings of <see cref="Check"/>.</param>
    public static Seq<string> OrphanSnapshotFolders(Seq<Problem> found) =>
        found.Filter(p => p.Kind == ProblemKind.ContainerdOrphanSnapshotDir).Map(p => p.Path).Strict();

    /// <summary>The clean-up of the containerd store: each orphan snapshot folder (<see cref="OrphanSnapshotFolders"/>) with
    /// the bytes the shell measured under it, and the findings with those bytes.</summary>
    /// <param name="found">The findings of <see cref="Check"/> and after.</param>
    /// <param name="bytes">Apparent bytes under each measured folder (by its shown path); a folder not measured has none.</param>
    /// <returns>The findings, orphan folders with their bytes; one clean-up item per orphan folder, in finding order.</returns>
    public static (Seq<Problem> Problems, Seq<CleanupItem> Cleanup) WithOrphanSizes(Seq<Problem> found, IReadOnlyDictionary<string, long> bytes) =>
        (Problem.WithMeasuredBytes(found, ProblemKind.ContainerdOrphanSnapshotDir, bytes),
         OrphanSnapshotFolders(found).Map(path => new CleanupItem(path, ProblemKind.ContainerdOrphanSnapshotDir, "snapshot folder no snapshot record names")
             { Bytes = bytes.TryGetValue(path, out var b) ? Some(b) : None }).Strict());

    /// <summary>The blobs whose bytes do not hash to their digest, or whose length is not the size their record gives
    /// (<c>check --content</c>): <c>containerd_blob_corrupt</c>, an error, at the blob file. Blobs that could not be read are
    /// findings too; blobs without a file were found already (<see cref="Check"/>).</summary>
    /// <param name="store">The store as read (its blob folder names the paths).</param>
    /// <param name="sizes">Blob digest → the size its record gives, if any (<see cref="ContainerdStoreView.BlobSizes"/>).</param>
    /// <param name="hashes">What the shell read of each blob file: its SHA-256 (None when it was not read because its length
    /// differs from the record's size) and length, or why it could not be read.</param>
    public static Seq<Problem> BlobContent(ContainerdStoreSnapshot store, HashMap<string, Option<long>> sizes,
        Seq<(string Hex, Either<string, (Option<string> Sha256, long Bytes)> Read)> hashes) =>
        hashes.Choose(h => h.Read.Match(
                Right: r => r.Sha256.TrySome(out var sha256) && sha256 != h.Hex
                    ? Some(new Fact.ContainerdBlobCorrupt("sha256:" + h.Hex, Some("sha256:" + sha256), r.Bytes, sizes.Find("sha256:" + h.Hex).Flatten()))
                    : sizes.Find("sha256:" + h.Hex).Flatten().Exists(size => size != r.Bytes)
                        ? Some(new Fact.ContainerdBlobCorrupt("sha256:" + h.Hex, None, r.Bytes, sizes.Find("sha256:" + h.Hex).Flatten()))
                        : None,
                Left: why => Some(new Fact.ContainerdBlobCorrupt("sha256:" + h.Hex, None, -1, None) { Unreadable = Some(why) }))
            .Map(f => Found(ProblemKind.ContainerdBlobCorrupt, Severity.Error, store.BlobsPath + "/" + h.Hex, f)))
        .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Strict();

    // The configs an image's manifests name: its target's config label, or those of the manifests an index's labels name.
    private static Seq<string> ConfigsOf(ContainerdImage image, Dictionary<string, ContainerdBlob> records)
    {
        Option<string> ConfigOf(string digest) => records.TryGetValue(digest, out var b) ? b.Labels.Find("containerd.io/gc.ref.content.config") : None;
        return ConfigOf(image.TargetDigest).Match(
            Some: config => Seq1(config),
            None: () => records.TryGetValue(image.TargetDigest, out var index)
                ? index.Labels.Filter((k, _) => k.StartsWith("containerd.io/gc.ref.content.m.", StringComparison.Ordinal)).Values
                    .Choose(ConfigOf).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToSeq().Strict()
                : Empty);
    }

    // The blobs an image needs: its target, and what the content labels of each needed blob record name (cycle-guarded).
    private static IEnumerable<string> Needed(ContainerdImage image, Dictionary<string, ContainerdBlob> records)
    {
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>();
        if (image.TargetDigest.Length > 0) work.Push(image.TargetDigest);
        while (work.TryPop(out var digest))
        {
            if (!seen.Add(digest)) continue;
            yield return digest;
            if (!records.TryGetValue(digest, out var blob)) continue;
            foreach (var (key, value) in blob.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Reverse())
                if (ContainerdGc.IsContentRef(key) && value.Length > 0) work.Push(value);
        }
    }

    private static Either<Problem, BoltFile> Open(RawFile file, string path) => file switch
    {
        RawFile.Content c => BoltFile.Open(c.Bytes).MapLeft(e => Invalid(path, e.Text)),
        RawFile.OutsideRoot o => OutsideRootAt(path, o.Target),
        _ => Invalid(path, "it could not be read whole"),
    };

    // A path of the store a link leads out of the root: a warning (nothing is known to be wrong there), not a repair.
    private static Problem OutsideRootAt(string path, string target) =>
        Found(ProblemKind.SymlinkOutsideRoot, Severity.Warning, path, new Fact.ContainerdPathOutsideRoot(target));

    private static Problem Invalid(string path, string why) =>
        Found(ProblemKind.ContainerdMetadataInvalid, Severity.Error, path, new Fact.ContainerdMetadataInvalid(why));

    // The blob files there are: none when the folder is absent (every needed blob is then missing), unknown when it could
    // not be listed (its blobs are then read one by one under --content, and fail there with the reason).
    private static Option<System.Collections.Generic.HashSet<string>> Names(DirectoryListing listing) => listing switch
    {
        DirectoryListing.Listed l => Some(l.Entries.Map(e => e.Name).ToHashSet(StringComparer.Ordinal)),
        DirectoryListing.Absent => Some(new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal)),
        _ => None,
    };

    private static Problem Found(ProblemKind kind, Severity severity, string path, Fact fact) =>
        new(kind, severity, path, None, None, None, fact);
}
