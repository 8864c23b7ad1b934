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
        Assert.Equal((Root, "native", Seq1("docker.io/library/tiny:1"), 3, 3, 0), (v.Root, v.Snapshotter, v.Images.Map(i => i.Name), v.Snapshots, v.Blobs, v.Containers));
        // Another snapshotter's view of the same store: none of its snapshots, nothing to compare.
        Assert.Equal(Some(0), ContainerdChecks.Check(Tiny() with { Snapshotter = "overlayfs", SnapshotterDb = None }).View.Map(x => x.Snapshots));
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
        Assert.Empty(Found(Tiny() with { SnapshotFolders = new DirectoryListing.Failed("denied"), Blobs = new DirectoryListing.Absent() }));
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
        Assert.Equal((false, Empty), ((bool, Seq<Problem>))(ContainerdChecks.Check(Tiny() with { MetaDb = None }).View.IsSome, ContainerdChecks.Check(Tiny() with { MetaDb = None }).Problems));
        var truncated = ContainerdChecks.Check(Tiny() with { MetaDb = Some<RawFile>(new RawFile.Content(Sample("meta.db.gz")[..50])) });
        Assert.True(truncated.View.IsNone);
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_metadata_invalid", Root + "/io.containerd.metadata.v1.bolt/meta.db",
                new Fact.ContainerdMetadataInvalid("NoValidMeta { Why = page 0: the file ends before it; page 1: the file ends before it }"))),
            truncated.Problems.Map(p => (p.Kind.Id(), p.Path, p.Fact)));
        var unread = Found(Tiny() with { SnapshotterDb = Some<RawFile>(new RawFile.Unreadable("denied")) });
        Assert.Equal(Seq1<(string, string, Fact)>(("containerd_metadata_invalid", Root + "/io.containerd.snapshotter.v1.native/metadata.db",
                new Fact.ContainerdMetadataInvalid("it could not be read whole"))), unread);
        // No moby namespace: an empty store to dockerd.
        var other = ContainerdChecks.Check(Tiny() with { MetaDb = Some<RawFile>(new RawFile.Content(Replace(Sample("meta.db.gz"), "moby", "mobx"))) });
        Assert.Equal((Some(0), Empty), ((Option<int>, Seq<Problem>))(other.View.Map(v => v.Images.Count + v.Snapshots + v.Blobs), other.Problems));
    }
}
