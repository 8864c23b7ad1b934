using System.Text;
using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Containerd;

/// <summary>The containerd store against itself, on the stores a real containerd wrote (Samples/README.md), each fault made
/// by one change: a blob file gone, a snapshot folder gone or left over, a record the snapshotter lacks, a parent gone, a
/// damaged store.</summary>
public class ContainerdChecksTests
{
    private const string Root = "containerd/daemon";
    private const string Layer = "sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577";
    private const string Config = "sha256:54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc";
    private const string Manifest = "sha256:fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2";
    private const string Snapshots = Root + "/io.containerd.snapshotter.v1.native/snapshots/";

    private static byte[] Sample(string name) => ContainerdSamples.Read(name);

    private static DirectoryListing Listed(params string[] names) =>
        new DirectoryListing.Listed(toSeq(names.Select(n => new DirectoryEntry(n, EntryType.Directory))));

    private static string Hex(string digest) => digest["sha256:".Length..];

    // The tiny sample as a healthy store: snapshot folders 1-3 (k1, k2 and the layer), every blob file.
    private static ContainerdStoreSnapshot Tiny() => new(Root, "native", Some<RawFile>(new RawFile.Content(Sample("meta.db.gz"))),
        Some<RawFile>(new RawFile.Content(Sample("native-metadata.db.gz"))), Listed("1", "2", "3"), Listed(Hex(Config), Hex(Layer), Hex(Manifest)));

    private static Seq<(string Kind, string Path, Fact Fact)> Found(ContainerdStoreSnapshot store) =>
        ContainerdChecks.Check(store).Problems.Map(p => (p.Kind.Id(), p.Path, p.Fact));

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var (a, b) = (Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));
        Assert.Equal(a.Length, b.Length);
        var copy = (byte[])bytes.Clone();
        var found = 0;
        for (var i = 0; i + a.Length <= copy.Length; i++)
            if (copy.AsSpan(i, a.Length).SequenceEqual(a)) { b.CopyTo(copy, i); found++; }
        Assert.True(found > 0, from);
        return copy;
    }

    [Fact]
    public void A_sound_store_lists_its_image_snapshots_and_blobs_and_has_no_finding()
    {
        var (view, problems) = ContainerdChecks.Check(Tiny());
        Assert.Empty(problems);
        var v = view.IfNone(() => throw new Xunit.Sdk.XunitException("no view"));
        Assert.Equal((Root, "native", Seq1("docker.io/library/tiny:1"), 3, Seq<string>(), Seq1("l1")),
            (v.Root, v.Snapshotter, v.Images.Map(i => i.Name), v.Blobs, v.Containers, v.Leases));
        // What `ctr snapshots ls` lists: two active snapshots prepared without a parent, and the committed image layer.
        Assert.Equal(Seq(new ContainerdSnapshotEntry("k1", None, SnapshotKind.Active) { Id = 1UL }, new ContainerdSnapshotEntry("k2", None, SnapshotKind.Active) { Id = 2UL },
            new ContainerdSnapshotEntry(Layer, None, SnapshotKind.Committed) { Id = 3UL }), v.Snapshots);
        // The image: its config, the snapshot it was unpacked to, and every blob it needs.
        Assert.Equal((Some(Seq1(Config)), Some(Layer), Some(Seq(Manifest, Config, Layer))),
            (v.Configs.Find("docker.io/library/tiny:1"), v.ImageTops.Find("docker.io/library/tiny:1"), v.ImageBlobs.Find("docker.io/library/tiny:1")));
        // The manifest (415 bytes), the config (173) and the layer tar, padded by GNU tar to its 10,240-byte record.
        Assert.Equal(415L + 173 + 10_240, v.BlobBytes);
        // Another snapshotter's view of the same store: none of its snapshots, nothing to compare.
        Assert.Equal(Some(0), ContainerdChecks.Check(Tiny() with { Snapshotter = "overlayfs", SnapshotterDb = None }).View.Map(x => x.Snapshots.Count));
    }

    [Fact]
    public void Orphan_snapshot_folders_go_to_the_cleanup_with_the_bytes_measured_under_them()
    {
        var found = ContainerdChecks.Check(Tiny() with { SnapshotFolders = Listed("1", "2", "3", "8", "9") }).Problems;
        Assert.Equal(Seq(Snapshots + "8", Snapshots + "9"), ContainerdChecks.OrphanSnapshotFolders(found));
        var (problems, cleanup) = ContainerdChecks.WithOrphanSizes(found, new Dictionary<string, long> { [Snapshots + "9"] = 4096 });
        Assert.Equal(Seq((Snapshots + "8", Option<long>.None), (Snapshots + "9", Some(4096L))), problems.Map(p => (p.Path, p.Bytes)));
        Assert.Equal(Seq((Snapshots + "8", ProblemKind.ContainerdOrphanSnapshotDir, Option<long>.None), (Snapshots + "9", ProblemKind.ContainerdOrphanSnapshotDir, Some(4096L))),
            cleanup.Map(c => (c.Path, c.Reason, c.Bytes)));
    }

    [Fact]
    public void Each_fault_is_found_where_it_lies()
    {
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_blob_missing", Root + "/io.containerd.content.v1.content/blobs/sha256/" + Hex(Manifest),
                new Fact.ContainerdBlobMissing(Manifest, "docker.io/library/tiny:1", RecordMissing: false))),
            Found(Tiny() with { Blobs = Listed(Hex(Config), Hex(Layer)) }));
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_snapshot_dir_missing", Snapshots + "3", new Fact.ContainerdSnapshotDirMissing(Layer, "native"))),
            Found(Tiny() with { SnapshotFolders = Listed("1", "2") }));
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_orphan_snapshot_dir", Snapshots + "9", new Fact.ContainerdOrphanSnapshotDir("native"))),
            Found(Tiny() with { SnapshotFolders = Listed("1", "2", "3", "9") }));
        // The snapshotter's own store names k1 differently: the metadata store's k1 has no snapshot behind it, and folder 1 no record.
        var renamed = Tiny() with { SnapshotterDb = Some<RawFile>(new RawFile.Content(Replace(Sample("native-metadata.db.gz"), "moby/1/k1", "moby/1/kX"))) };
        Assert.Equal(Seq1<(string, string, Fact)>(($"containerd_snapshot_missing", Root + "/io.containerd.metadata.v1.bolt/meta.db:v1/moby/snapshots/native/k1",
                new Fact.ContainerdSnapshotMissing("k1", "moby/1/k1", "native"))),
            Found(renamed));
        // A listing that cannot be read says nothing about folders.
        Assert.Empty(Found(Tiny() with { SnapshotFolders = new DirectoryListing.Failed("denied"), Blobs = new DirectoryListing.Failed("denied") }));
        // No blob folder at all: every blob the image needs is missing.
        Assert.Equal(Seq(Manifest, Config, Layer).Map(d => ("containerd_blob_missing", Root + "/io.containerd.content.v1.content/blobs/sha256/" + Hex(d),
                (Fact)new Fact.ContainerdBlobMissing(d, "docker.io/library/tiny:1", RecordMissing: false))).OrderBy(f => f.Item2, StringComparer.Ordinal).ToSeq(),
            Found(Tiny() with { Blobs = new DirectoryListing.Absent() }).OrderBy(f => f.Item2, StringComparer.Ordinal).ToSeq());
    }

    [Fact]
    public void Content_reads_the_listed_blobs_not_found_missing_and_every_blob_when_the_folder_cannot_be_listed()
    {
        Seq<string> ToHash(ContainerdStoreSnapshot store)
        {
            var (view, found) = ContainerdChecks.Check(store);
            var sizes = view.Map(v => v.BlobSizes).IfNone(default(HashMap<string, Option<long>>));
            return ContainerdChecks.BlobsToHash(store, sizes, found).Map(b => b.Hex);
        }
        var all = Seq(Config, Layer, Manifest).Map(Hex).OrderBy(h => h, StringComparer.Ordinal).ToSeq();
        Assert.Equal(all, ToHash(Tiny()));
        // The manifest's file gone: found missing, not read.
        Assert.Equal(all.Filter(h => h != Hex(Manifest)), ToHash(Tiny() with { Blobs = Listed(Hex(Config), Hex(Layer)) }));
        Assert.Empty(ToHash(Tiny() with { Blobs = new DirectoryListing.Failed("not a directory"), OutsideRoot = Seq1((Root + "/io.containerd.content.v1.content/blobs/sha256", "/elsewhere")) }) );
        Assert.Empty(ToHash(Tiny() with { Blobs = new DirectoryListing.Absent() }));
        Assert.Equal(all, ToHash(Tiny() with { Blobs = new DirectoryListing.Failed("not a directory") }));
    }

    [Fact]
    public void Only_a_sha256_digest_of_a_record_names_a_blob_file_to_read()
    {
        // Record keys come from meta.db: one that is not 64 lower-case hex digits ("../..", upper case) names no file to read.
        var sizes = toHashMap(new (string, Option<long>)[] { ("sha256:" + new string('a', 64), Some(1L)), ("sha256:../../../etc/shadow", None),
            ("sha256:" + new string('A', 64), None), ("sha512:" + new string('b', 128), None) });
        var unlisted = Tiny() with { Blobs = new DirectoryListing.Failed("denied") };
        Assert.Equal(Seq1((new string('a', 64), Some(1L))), ContainerdChecks.BlobsToHash(unlisted, sizes, Empty));
    }

    [Fact]
    public void Store_paths_a_link_leads_out_of_the_root_are_warnings_and_nothing_there_is_missing_or_corrupt()
    {
        // meta.db reached through a link out of the root: one warning, no view (nothing read).
        var outside = ContainerdChecks.Check(Tiny() with { MetaDb = Some<RawFile>(new RawFile.OutsideRoot("/elsewhere/meta.db")) });
        Assert.True(outside.View.IsNone);
        Assert.Equal(Seq1<(ProblemKind, Severity, string, Fact)>((ProblemKind.SymlinkOutsideRoot, Severity.Warning, Root + "/io.containerd.metadata.v1.bolt/meta.db",
                new Fact.ContainerdPathOutsideRoot("/elsewhere/meta.db"))),
            outside.Problems.Map(p => (p.Kind, p.Severity, p.Path, p.Fact)));
        // The blob and snapshot folders: not listed (a failed listing), one warning each, in path order; no blob missing.
        var blobs = Root + "/io.containerd.content.v1.content/blobs/sha256";
        var folders = Tiny() with
        {
            Blobs = new DirectoryListing.Failed("outside"), SnapshotFolders = new DirectoryListing.Failed("outside"),
            OutsideRoot = Seq((Snapshots.TrimEnd('/'), "/x/snapshots"), (blobs, "/x/sha256")),
        };
        Assert.Equal(Seq<(string, string, Fact)>(("symlink_outside_root", blobs, new Fact.ContainerdPathOutsideRoot("/x/sha256")),
                ("symlink_outside_root", Snapshots.TrimEnd('/'), new Fact.ContainerdPathOutsideRoot("/x/snapshots"))),
            Found(folders).Filter(p => p.Item1 == "symlink_outside_root" || p.Item1.StartsWith("containerd_blob_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Folders_no_record_names_come_in_name_order_and_a_damaged_snapshotter_store_is_a_finding()
    {
        Assert.Equal(Seq(Snapshots + "10", Snapshots + "9"), Found(Tiny() with { SnapshotFolders = Listed("1", "9", "2", "3", "10") }).Map(p => p.Path));
        Assert.Equal(Seq1(("containerd_metadata_invalid", Root + "/io.containerd.snapshotter.v1.native/metadata.db")),
            Found(Tiny() with { SnapshotterDb = Some<RawFile>(new RawFile.Content(Sample("native-metadata.db.gz")[..100])) }).Map(p => (p.Kind, p.Path)));
        Assert.True(ContainerdChecks.Check(Tiny()).View.Exists(v => v.Found));
    }

    [Fact]
    public void A_snapshot_whose_parent_has_no_record_is_found()
    {
        var store = new ContainerdStoreSnapshot(Root, "native", Some<RawFile>(new RawFile.Content(Sample("parent-meta.db.gz"))),
            Some<RawFile>(new RawFile.Content(Sample("parent-native-metadata.db.gz"))), Listed("1", "2"), Listed());
        Assert.Empty(Found(store));
        var gone = store with { MetaDb = Some<RawFile>(new RawFile.Content(Replace(Sample("parent-meta.db.gz"), "parentc1", "parentc9"))) };
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_snapshot_parent_missing", Root + "/io.containerd.metadata.v1.bolt/meta.db:v1/moby/snapshots/native/k3",
                new Fact.ContainerdSnapshotParentMissing("k3", "c9"))),
            Found(gone));
    }

    [Fact]
    public void A_damaged_or_absent_store_is_a_finding_or_nothing_never_an_exception()
    {
        // No meta.db: containerd makes an empty one, so dockerd lists nothing.
        var absent = ContainerdChecks.Check(Tiny() with { MetaDb = None });
        Assert.Equal((Some(false), Some(0), Empty), ((Option<bool>, Option<int>, Seq<Problem>))(absent.View.Map(v => v.Found), absent.View.Map(v => v.Images.Count), absent.Problems));
        var truncated = ContainerdChecks.Check(Tiny() with { MetaDb = Some<RawFile>(new RawFile.Content(Sample("meta.db.gz")[..50])) });
        Assert.True(truncated.View.IsNone);
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_metadata_invalid", Root + "/io.containerd.metadata.v1.bolt/meta.db",
                new Fact.ContainerdMetadataInvalid("no valid meta page (page 0: the file ends before it; page 1: the file ends before it)"))),
            truncated.Problems.Map(p => (p.Kind.Id(), p.Path, p.Fact)));
        var unread = Found(Tiny() with { SnapshotterDb = Some<RawFile>(new RawFile.Unreadable("denied")) });
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_metadata_invalid", Root + "/io.containerd.snapshotter.v1.native/metadata.db",
                new Fact.ContainerdMetadataInvalid("it could not be read whole"))), unread);
        // No moby namespace: an empty store to dockerd.
        var other = ContainerdChecks.Check(Tiny() with { MetaDb = Some<RawFile>(new RawFile.Content(Replace(Sample("meta.db.gz"), "moby", "mobx"))) });
        Assert.Equal((Some(0), Empty), ((Option<int>, Seq<Problem>))(other.View.Map(v => v.Images.Count + v.Snapshots.Count + v.Blobs), other.Problems));
    }
}

/// <summary>What an image needs and what garbage collection deletes (<see cref="ContainerdGc"/>), on namespaces made by hand:
/// the labels containerd writes when it stores an image (a manifest names its config and layers, a config the snapshot it
/// was unpacked to), leases, containers and <c>containerd.io/gc.root</c>.</summary>
public class ContainerdGcTests
{
    private const string Root = "containerd/daemon";
    private const string Blobs = Root + "/io.containerd.content.v1.content/blobs/sha256/";
    private const string Records = Root + "/io.containerd.metadata.v1.bolt/meta.db:v1/moby/snapshots/overlayfs/";
    private static string D(char c) => "sha256:" + new string(c, 64);
    private static readonly string Manifest = D('a'), Config = D('b'), Layer = D('c'), Stray = D('d');

    private static ContainerdBlob Blob(string digest, long size, params (string Key, string Value)[] labels) =>
        new(digest, Some(size), toHashMap(labels));

    private static ContainerdSnapshot Snap(string key, Option<string> parent, params (string Key, string Value)[] labels) =>
        new("overlayfs", key, "moby/1/" + key, parent) { Labels = toHashMap(labels) };

    private static ContainerdNamespace Ns(Seq<ContainerdBlob> blobs, Seq<ContainerdSnapshot> snapshots, Seq<ContainerdLease> leases = default,
        Seq<ContainerdContainer> containers = default) =>
        new("moby", Seq1(new ContainerdImage("docker.io/library/x:1", Manifest, "application/vnd.oci.image.manifest.v1+json", Some(100L))),
            blobs, snapshots, leases, containers);

    private static readonly Seq<ContainerdBlob> Whole = Seq(
        Blob(Manifest, 100, ("containerd.io/gc.ref.content.config", Config), ("containerd.io/gc.ref.content.l.0", Layer)),
        Blob(Config, 20, ("containerd.io/gc.ref.snapshot.overlayfs", "chain1")),
        Blob(Layer, 3000));

    private static ContainerdStoreSnapshot Store(params string[] files) => new(Root, "overlayfs", None, None, new DirectoryListing.Absent(),
        new DirectoryListing.Listed(toSeq(files.Select(f => new DirectoryEntry(f["sha256:".Length..], EntryType.File)))));

    private static Seq<(string Kind, string Path, Fact Fact, Option<long> Bytes)> Found(ContainerdStoreSnapshot store, ContainerdNamespace ns) =>
        ContainerdChecks.Findings(store, ns).Problems.Map(p => (p.Kind.Id(), p.Path, p.Fact, p.Bytes));

    [Fact]
    public void A_whole_image_with_its_unpacked_snapshot_chain_has_no_finding()
    {
        var ns = Ns(Whole, Seq(Snap("chain0", None), Snap("chain1", Some("chain0"))));
        Assert.Empty(Found(Store(Manifest, Config, Layer), ns));
        var kept = ContainerdGc.Reachable(ns);
        Assert.Equal(new[] { Manifest, Config, Layer }, kept.Content.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "chain0", "chain1" }, kept.Snapshots.Select(s => s.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_blob_the_manifest_names_without_its_record_or_its_file_is_missing()
    {
        var withoutLayerRecord = Ns(Whole.Filter(b => b.Digest != Layer), default);
        Assert.Equal(Seq1<(string, string, Fact, Option<long>)>(("containerd_blob_missing", Blobs + new string('c', 64),
            new Fact.ContainerdBlobMissing(Layer, "docker.io/library/x:1", RecordMissing: true), None)), Found(Store(Manifest, Config), withoutLayerRecord));
        Assert.Equal(Seq1<(string, string, Fact, Option<long>)>(("containerd_blob_missing", Blobs + new string('b', 64),
            new Fact.ContainerdBlobMissing(Config, "docker.io/library/x:1", RecordMissing: false), None)), Found(Store(Manifest, Layer), Ns(Whole, default)));
    }

    [Fact]
    public void What_nothing_holds_is_what_garbage_collection_deletes()
    {
        var ns = Ns(Whole.Add(Blob(Stray, 77)), Seq(Snap("chain0", None), Snap("chain1", Some("chain0")), Snap("old", None), Snap("held", None),
            Snap("c1-init", Some("chain1")), Snap("c1", Some("c1-init")), Snap("rooted", None, ("containerd.io/gc.root", "2026-12-05T00:00:00Z")),
            Snap("ctr", None)),
            Seq1(new ContainerdLease("c1", Empty, Seq1(("overlayfs", "c1")))),
            Seq1(new ContainerdContainer("c2", "overlayfs", "ctr", "docker.io/library/x:1", default)));
        Assert.Equal(Seq<(string, string, Fact, Option<long>)>(
                ("containerd_blob_unreferenced", Blobs + new string('d', 64), new Fact.ContainerdBlobUnreferenced(Stray), Some(77L)),
                ("containerd_snapshot_unreferenced", Records + "held", new Fact.ContainerdSnapshotUnreferenced("held", "overlayfs"), None),
                ("containerd_snapshot_unreferenced", Records + "old", new Fact.ContainerdSnapshotUnreferenced("old", "overlayfs"), None)),
            Found(Store(Manifest, Config, Layer, Stray), ns).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        // A lease holds blobs too, and a blob labelled gc.root is a root.
        var held = ns with { Leases = ns.Leases.Add(new ContainerdLease("pull", Seq1(Stray), Empty)) };
        Assert.Contains(Stray, ContainerdGc.Reachable(held).Content);
        Assert.Contains(Stray, ContainerdGc.Reachable(ns with { Blobs = Whole.Add(Blob(Stray, 77, ("containerd.io/gc.root", "x"))) }).Content);
        // Only containerd.io/gc.ref.content and its dotted names are references.
        Assert.True(ContainerdGc.IsContentRef("containerd.io/gc.ref.content"));
        Assert.True(ContainerdGc.IsContentRef("containerd.io/gc.ref.content.m.0"));
        Assert.False(ContainerdGc.IsContentRef("containerd.io/gc.ref.contentX"));
    }

    [Fact]
    public void Labels_that_loop_end_the_walk()
    {
        var looping = Seq(Blob(Manifest, 1, ("containerd.io/gc.ref.content.m.0", Config)), Blob(Config, 1, ("containerd.io/gc.ref.content.m.0", Manifest)));
        var ns = Ns(looping, Seq(Snap("a", Some("b")), Snap("b", Some("a"))), Seq1(new ContainerdLease("l", Empty, Seq1(("overlayfs", "a")))));
        Assert.Empty(Found(Store(Manifest, Config), ns));
        Assert.Equal(2, ContainerdGc.Reachable(ns).Snapshots.Count);
    }

    [Fact]
    public void An_index_names_its_configs_through_its_manifests_and_blobs_are_walked_in_label_order()
    {
        var index = D('9');
        var blobs = Whole.Add(Blob(index, 50, ("containerd.io/gc.ref.content.m.0", Manifest), ("containerd.io/gc.ref.content.m.1", D('8')), ("containerd.io/gc.ref.content.empty", "")))
            .Add(Blob(D('8'), 10, ("containerd.io/gc.ref.content.config", D('7')))).Add(Blob(D('7'), 1));
        var ns = Ns(blobs, default) with { Images = Seq(new ContainerdImage("idx:1", index, "", None), new ContainerdImage("none:1", "", "", None)) };
        var view = ContainerdChecks.Findings(Store(index, Manifest, Config, Layer, D('8'), D('7')), ns).View.IfNone(() => throw new Xunit.Sdk.XunitException("no view"));
        Assert.Equal(Some(Seq(D('7'), Config)), view.Configs.Find("idx:1"));
        // Depth first, labels in key order; an empty label value and an image without a target lead nowhere.
        Assert.Equal(Some(Seq(index, Manifest, Config, Layer, D('8'), D('7'))), view.ImageBlobs.Find("idx:1"));
        Assert.Equal(Some(Seq<string>()), view.ImageBlobs.Find("none:1"));
        Assert.DoesNotContain("", ContainerdGc.Reachable(ns).Content);
        Assert.Equal(Some(Some(50L)), view.BlobSizes.Find(index));
    }

    [Fact]
    public void A_blob_two_images_need_is_missing_once_under_the_first_by_name_and_other_digests_are_skipped()
    {
        var ns = Ns(Whole, default) with
        {
            Images = Seq(new ContainerdImage("z:1", Manifest, "", None), new ContainerdImage("a:1", Manifest, "", None), new ContainerdImage("md5:1", "md5:00", "", None)),
            Blobs = Whole.Add(Blob("sha512:" + new string('e', 128), 1)),
        };
        Assert.Equal(Seq1(("containerd_blob_missing", Blobs + new string('c', 64), (Fact)new Fact.ContainerdBlobMissing(Layer, "a:1", RecordMissing: false))),
            ContainerdChecks.Findings(Store(Manifest, Config), ns).Problems.Filter(p => p.Severity == Severity.Error).Map(p => (p.Kind.Id(), p.Path, p.Fact)));
        // A blob of another algorithm that nothing holds has no file path under blobs/sha256: not reported.
        Assert.DoesNotContain(ContainerdChecks.Findings(Store(Manifest, Config, Layer), ns).Problems, p => p.Kind == ProblemKind.ContainerdBlobUnreferenced);
    }

    [Fact]
    public void Image_container_and_snapshot_labels_hold_snapshots_and_an_empty_key_holds_nothing()
    {
        var ns = Ns(Seq1(Blob(Manifest, 1)), Seq(Snap("a", None), Snap("b", None), Snap("c", None), Snap("d", None), Snap("e", None)),
            containers: Seq(new ContainerdContainer("k1", "overlayfs", "a", "x:1", HashMap(("containerd.io/gc.ref.snapshot.overlayfs", "b"))),
                new ContainerdContainer("k2", "", "zzz", "x:1", default))) with
        {
            Images = Seq1(new ContainerdImage("x:1", Manifest, "", None) { Labels = HashMap(("containerd.io/gc.ref.snapshot.overlayfs", "c")) }),
            Snapshots = Seq(Snap("a", None), Snap("b", None, ("containerd.io/gc.ref.snapshot.overlayfs", "d")), Snap("c", None), Snap("d", None), Snap("e", None)),
        };
        Assert.Equal(new[] { "a", "b", "c", "d" }, ContainerdGc.Reachable(ns).Snapshots.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Seq1(Records + "e"), ContainerdChecks.Findings(Store(Manifest), ns).Problems.Filter(p => p.Kind == ProblemKind.ContainerdSnapshotUnreferenced).Map(p => p.Path));
    }
}

/// <summary>Blob files against their digests (<c>check --content</c>, <see cref="ContainerdChecks.BlobContent"/>).</summary>
public class ContainerdBlobContentTests
{
    private const string Root = "containerd/daemon";
    private static readonly string A = new('a', 64), B = new('b', 64), C = new('c', 64);

    [Fact]
    public void A_blob_that_hashes_wrong_is_short_or_cannot_be_read_is_corrupt()
    {
        var store = new ContainerdStoreSnapshot(Root, "overlayfs", None, None, new DirectoryListing.Absent(), new DirectoryListing.Absent());
        var E = new string('e', 64);
        var sizes = HashMap(("sha256:" + A, Some(5L)), ("sha256:" + B, Some(5L)), ("sha256:" + C, Option<long>.None), ("sha256:" + E, Some(855L)));
        var hashes = Seq(
            (A, Right<string, (Option<string>, long)>((Some(A), 5L))),          // sound
            (B, Right<string, (Option<string>, long)>((Some(B), 4L))),          // its record says 5
            (C, Right<string, (Option<string>, long)>((Some(A), 7L))),          // hashes to another digest
            (E, Right<string, (Option<string>, long)>((None, 100L << 30))));    // not hashed: 100 GiB where its record says 855 bytes
        var found = ContainerdChecks.BlobContent(store, sizes, hashes.Add((new string('d', 64), Left<string, (Option<string>, long)>("denied"))));
        Assert.Equal(Seq(
                (Root + "/io.containerd.content.v1.content/blobs/sha256/" + B, (Fact)new Fact.ContainerdBlobCorrupt("sha256:" + B, None, 4, Some(5L))),
                (Root + "/io.containerd.content.v1.content/blobs/sha256/" + C, new Fact.ContainerdBlobCorrupt("sha256:" + C, Some("sha256:" + A), 7, None)),
                (Root + "/io.containerd.content.v1.content/blobs/sha256/" + new string('d', 64),
                    new Fact.ContainerdBlobCorrupt("sha256:" + new string('d', 64), None, -1, None) { Unreadable = Some("denied") }),
                (Root + "/io.containerd.content.v1.content/blobs/sha256/" + E, new Fact.ContainerdBlobCorrupt("sha256:" + E, None, 100L << 30, Some(855L)))),
            found.Map(p => (p.Path, p.Fact)));
        Assert.All(found, p => Assert.Equal((ProblemKind.ContainerdBlobCorrupt, Severity.Error), (p.Kind, p.Severity)));
    }
}

/// <summary>Leases and time (<see cref="ContainerdGc"/>): a lease past its <c>containerd.io/gc.expire</c> holds nothing.</summary>
public class ContainerdLeaseExpiryTests
{
    private static readonly string Blob = "sha256:" + new string('a', 64);

    private static ContainerdNamespace Ns(params (string Key, string Value)[] labels) => new("moby", Empty,
        Seq1(new ContainerdBlob(Blob, Some(1L), default)), Empty,
        Seq1(new ContainerdLease("pull", Seq1(Blob), Empty) { Labels = toHashMap(labels) }), Empty);

    [Fact]
    public void An_expired_lease_holds_nothing_and_one_without_a_readable_expiry_holds()
    {
        var at = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty(ContainerdGc.Reachable(Ns(("containerd.io/gc.expire", "2026-12-05T09:59:59Z")), Some(at)).Content);
        Assert.Empty(ContainerdGc.Reachable(Ns(("containerd.io/gc.expire", "2026-12-05T10:00:00Z")), Some(at)).Content);
        Assert.Contains(Blob, ContainerdGc.Reachable(Ns(("containerd.io/gc.expire", "2026-12-05T10:00:01Z")), Some(at)).Content);
        Assert.Contains(Blob, ContainerdGc.Reachable(Ns(("containerd.io/gc.expire", "tomorrow")), Some(at)).Content);
        Assert.Contains(Blob, ContainerdGc.Reachable(Ns(), Some(at)).Content);
        Assert.Contains(Blob, ContainerdGc.Reachable(Ns(("containerd.io/gc.expire", "2026-12-05T09:59:59Z"))).Content);
        // The sample's lease was made by ctr with a day's expiry.
        var lease = ContainerdMetadata.Namespace(BoltFile.Open(LayerFunctional.Tests.Support.ContainerdSamples.Read("overlayfs-meta.db.gz")).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString())))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString())).IfNone(() => throw new Xunit.Sdk.XunitException("no ns")).Leases.Head;
        Assert.Equal(lease.Expires.Map(e => e.Year), Some(2026));
    }
}
