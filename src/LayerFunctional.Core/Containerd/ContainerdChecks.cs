using LanguageExt;
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
    /// <summary>The metadata store's path.</summary>
    public string MetaDbPath => Root + "/io.containerd.metadata.v1.bolt/meta.db";

    /// <summary>The snapshotter's folder.</summary>
    public string SnapshotterPath => Root + "/io.containerd.snapshotter.v1." + Snapshotter;

    /// <summary>The content store's blob folder.</summary>
    public string BlobsPath => Root + "/io.containerd.content.v1.content/blobs/sha256";
}

/// <summary>What dockerd will list from the containerd store: its images, and the counts of its snapshots (of the snapshotter
/// in use), blobs and container records, in Docker's <c>moby</c> namespace.</summary>
/// <param name="Root">The containerd root as shown in paths.</param>
/// <param name="Snapshotter">The snapshotter.</param>
/// <param name="Images">Image records, by name.</param>
/// <param name="Snapshots">Snapshot records of the snapshotter.</param>
/// <param name="Blobs">Content blob records.</param>
/// <param name="Containers">Container records.</param>
public sealed record ContainerdStoreView(string Root, string Snapshotter, Seq<ContainerdImage> Images, int Snapshots, int Blobs, int Containers);

/// <summary>
/// The containerd store against itself (issue "Docker 29"): an image whose target blob is gone, a snapshot record without the
/// snapshotter's record or its folder, a snapshot whose parent is gone, and snapshot folders no record names. Pure: the
/// bbolt files are parsed here (<see cref="BoltFile"/>), and a damaged one is a finding, never an exception.
/// </summary>
public static class ContainerdChecks
{
    /// <summary>The view and the findings; no view when the metadata store is absent or cannot be read.</summary>
    /// <param name="store">What the shell read.</param>
    public static (Option<ContainerdStoreView> View, Seq<Problem> Problems) Check(ContainerdStoreSnapshot store)
    {
        if (!store.MetaDb.TrySome(out var metaFile)) return (None, Empty);
        return Open(metaFile, store.MetaDbPath).Bind(db => ContainerdMetadata.Namespace(db).MapLeft(e => Invalid(store.MetaDbPath, e.ToString())))
            .Match(
                Left: problem => (None, Seq1(problem)),
                Right: ns => ns.Match(
                    None: () => (Some(new ContainerdStoreView(store.Root, store.Snapshotter, Empty, 0, 0, 0)), Empty),
                    Some: moby => Findings(store, moby)));
    }

    private static (Option<ContainerdStoreView>, Seq<Problem>) Findings(ContainerdStoreSnapshot store, ContainerdNamespace moby)
    {
        var problems = new List<Problem>();
        var snapshots = moby.Snapshots.Filter(s => s.Snapshotter == store.Snapshotter).Strict();
        // Images whose target (a manifest or an index) has no blob record or no blob file: dockerd cannot read them.
        var blobFiles = Names(store.Blobs);
        var records = moby.Blobs.Map(b => b.Digest).ToHashSet(StringComparer.Ordinal);
        foreach (var image in moby.Images)
        {
            var hex = image.TargetDigest.StartsWith("sha256:", StringComparison.Ordinal) ? image.TargetDigest["sha256:".Length..] : "";
            if (hex.Length == 0) continue;
            var fileMissing = blobFiles.Match(Some: files => !files.Contains(hex), None: () => false);
            if (!records.Contains(image.TargetDigest) || fileMissing)
                problems.Add(Found(ProblemKind.ContainerdBlobMissing, Severity.Error, store.BlobsPath + "/" + hex,
                    new Fact.ContainerdBlobMissing(image.TargetDigest, image.Name, RecordMissing: !records.Contains(image.TargetDigest))));
        }
        // Snapshot records of the metadata store against the snapshotter's own records and folders.
        var own = store.SnapshotterDb.Map(f => Open(f, store.SnapshotterPath + "/metadata.db")
            .Bind(db => ContainerdMetadata.SnapshotterRecords(db).MapLeft(e => Invalid(store.SnapshotterPath + "/metadata.db", e.ToString()))));
        var byName = new Dictionary<string, SnapshotterRecord>(StringComparer.Ordinal);
        foreach (var result in own)
            result.Match(Left: problems.Add, Right: recs => { foreach (var r in recs) byName.TryAdd(r.Name, r); });
        var ownRead = own.Exists(r => r.IsRight);
        var keys = snapshots.Map(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var folders = Names(store.SnapshotFolders);
        foreach (var s in snapshots)
        {
            var recordPath = $"{store.MetaDbPath}:v1/moby/snapshots/{store.Snapshotter}/{s.Key}";
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
        var view = new ContainerdStoreView(store.Root, store.Snapshotter, moby.Images, snapshots.Count, moby.Blobs.Count, moby.Containers.Count);
        return (Some(view), problems.ToSeq().Strict());
    }

    private static Either<Problem, BoltFile> Open(RawFile file, string path) => file switch
    {
        RawFile.Content c => BoltFile.Open(c.Bytes).MapLeft(e => Invalid(path, e.ToString())),
        _ => Invalid(path, "it could not be read whole"),
    };

    private static Problem Invalid(string path, string why) =>
        Found(ProblemKind.ContainerdMetadataInvalid, Severity.Error, path, new Fact.ContainerdMetadataInvalid(why));

    private static Option<System.Collections.Generic.HashSet<string>> Names(DirectoryListing listing) => listing switch
    {
        DirectoryListing.Listed l => Some(l.Entries.Map(e => e.Name).ToHashSet(StringComparer.Ordinal)),
        _ => None,
    };

    private static Problem Found(ProblemKind kind, Severity severity, string path, Fact fact) =>
        new(kind, severity, path, None, None, None, fact);
}
