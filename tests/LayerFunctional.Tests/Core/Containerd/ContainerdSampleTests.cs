using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Containerd;

/// <summary>The overlayfs stores a real containerd wrote for two generated images, a container's layers made as dockerd makes
/// them, and a container record (Samples/README.md): what <c>ctr -n moby … ls</c> listed there.</summary>
public class ContainerdSampleTests
{
    private const string Root = "containerd/daemon";
    private const string Gen0Top = "sha256:56591637c129490e34aca1cd3fd073e4a167f97392e5c7f8db3deb8f6a149638";
    private const string Gen1Top = "sha256:4910e5ab682de6d700485253ceef976e2e1dd7faa7167e7d0b4603f22ef0cd5c";
    private const string Gen1Base = "sha256:889c207565b7a1bf4247ad94ccd0e3482849e8c7959474a12277c4ba77295a10";
    private static readonly string C = new('c', 64);

    private static BoltFile Open(string name) => BoltFile.Open(ContainerdSamples.Read(name)).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()));

    private static ContainerdNamespace Moby() => ContainerdMetadata.Namespace(Open("overlayfs-meta.db.gz")).IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()))
        .IfNone(() => throw new Xunit.Sdk.XunitException("no moby namespace"));

    private static DirectoryListing Listed(params string[] names) =>
        new DirectoryListing.Listed(toSeq(names.Select(n => new DirectoryEntry(n, EntryType.Directory))));

    [Fact]
    public void A_container_record_names_its_snapshotter_key_image_and_labels()
    {
        var container = Assert.Single(Moby().Containers);
        Assert.Equal(("cont1", "overlayfs", "cont1", "docker.io/library/layerfn-gen0:latest"), (container.Id, container.Snapshotter, container.SnapshotKey, container.Image));
        Assert.Equal(Some("db"), container.Labels.Find("team"));
        Assert.Equal(Seq1(C), Moby().Leases.Map(l => l.Id));
    }

    [Fact]
    public void The_view_lists_what_ctr_listed_with_each_kind_and_folder()
    {
        var store = new ContainerdStoreSnapshot(Root, "overlayfs", Some<RawFile>(new RawFile.Content(ContainerdSamples.Read("overlayfs-meta.db.gz"))),
            Some<RawFile>(new RawFile.Content(ContainerdSamples.Read("overlayfs-metadata.db.gz"))), Listed("1", "2", "3", "4", "5", "6"), new DirectoryListing.Failed("blob files not sampled"));
        var (view, problems) = ContainerdChecks.Check(store);
        var v = view.IfNone(() => throw new Xunit.Sdk.XunitException("no view"));
        Assert.True(v.Found);
        // `ctr snapshots ls`, in key order, with the folders the imports and prepares made in turn.
        Assert.Equal(Seq(
                (C, Some(C + "-init"), "Active", Some(5UL)),
                (C + "-init", Some(Gen1Top), "Committed", Some(4UL)),
                ("cont1", Some(Gen0Top), "Active", Some(6UL)),
                (Gen1Top, Some(Gen1Base), "Committed", Some(3UL)),
                (Gen0Top, Option<string>.None, "Committed", Some(1UL)),
                (Gen1Base, Option<string>.None, "Committed", Some(2UL))),
            v.Snapshots.Map(s => (s.Key, s.Parent, SnapshotKinds.Id(s.Kind), s.Id)));
        Assert.Equal((Seq1("cont1"), Seq1(C)), (v.Containers, v.Leases));
        Assert.Equal((Some(Gen0Top), Some(Gen1Top)), (v.ImageTops.Find("docker.io/library/layerfn-gen0:latest"), v.ImageTops.Find("docker.io/library/layerfn-gen1:latest")));
        Assert.Equal(7, v.BlobSizes.Count);
        Assert.Equal(v.BlobBytes, v.BlobSizes.Values.Map(s => s.IfNone(0)).Sum());
        // The container record and the gc.root labels ctr sets hold every snapshot: nothing for garbage collection.
        Assert.Empty(problems);
    }

    [Fact]
    public void Each_kind_has_the_name_ctr_prints()
    {
        Assert.Equal(new[] { "Unknown", "View", "Active", "Committed" },
            new[] { SnapshotKind.Unknown, SnapshotKind.View, SnapshotKind.Active, SnapshotKind.Committed }.Select(SnapshotKinds.Id));
    }
}
