using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>which: the layer, images and containers of a file of a real root, nothing for an orphan, and paths through overlay2's
/// l/ short links.</summary>
public class OwnershipTests
{
    private static readonly string Id = new('c', 64);

    [SharedFact]
    public void Which_names_the_layer_images_and_containers_of_a_fixture_file_and_nothing_for_an_orphan()
    {
        using var dir = SharedData.Unpack(Path.Combine(SharedData.Fixtures, "de-overlay2-v2.tgz"));
        var root = Path.Combine(dir.Path, "docker");
        var report = Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var layer = Assert.Single(report.Store.Layers);
        var image = Assert.Single(report.Images);
        Assert.True(image.Loads);
        Assert.Equal(Some(layer.ChainID), image.TopChainId);
        Assert.Equal(1, report.ImageRefs.Find(layer.ChainID).IfNone(0));
        var owner = Ownership.Find(report, $"overlay2/{layer.CacheID.Value}/diff/bin/busybox");
        Assert.Equal(OwnerKind.Layer, owner.Kind);
        Assert.Equal(Some(layer.ChainID.ToString()), owner.ChainId);
        Assert.Equal(Seq1(image.Id), owner.Images);
        Assert.Equal(report.Store.Mounts.Map(m => m.Name), owner.Containers);
        var mount = report.Store.Mounts.Head;
        var init = Ownership.Find(report, $"overlay2/{mount.MountID.Value}-init/diff/etc/hosts");
        Assert.Equal(OwnerKind.InitLayer, init.Kind);
        Assert.Equal(Some(mount.Name), init.Mount);
        Assert.Equal(report.Containers.Find(mount.Name).Bind(c => c.Name), init.ContainerName);

        Assert.Equal(OwnerKind.Mount, Ownership.Find(report, $"containers/{mount.Name}/config.v2.json").Kind);
        Assert.Equal(OwnerKind.Mount, Ownership.Find(report, mount.MountID.Value[..12]).Kind);
        Assert.Equal(OwnerKind.Image, Ownership.Find(report, $"image/overlay2/imagedb/content/sha256/{image.Id[7..]}").Kind);

        Directory.CreateDirectory(Path.Combine(root, "overlay2", "leftover-folder", "diff"));
        var after = Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(OwnerKind.Orphan, Ownership.Find(after, "overlay2/leftover-folder/diff").Kind);
        Assert.Equal(OwnerKind.Unknown, Ownership.Find(after, "no-such-thing").Kind);
    }

    [Fact]
    public void A_mount_s_unregistered_folder_is_its_container_s_not_an_orphan()
    {
        var model = LayerFunctional.Generation.Corrupters.Generate(3, new LayerFunctional.Generation.GeneratorOptions(Layers: 3, Mounts: 0, Images: 1),
            Seq(ProblemKind.MountIdMissing, ProblemKind.UnregisteredDriverDir)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        bool Has(LayerFunctional.Generation.GeneratedMount m, string file) => model.Entries.Exists(e => e.Path == m.Folder + "/" + file);
        var lost = Assert.Single(model.Mounts, m => !Has(m, "mount-id"));
        var noInit = Assert.Single(model.Mounts, m => !Has(m, "init-id"));
        // mount-id gone: the read-write folder; init-id gone: the init folder.
        foreach (var (mount, folder, namedBy) in new[] { (lost, lost.MountID, lost.Folder + "/init-id"), (noInit, noInit.InitID, noInit.Folder + "/mount-id") })
        {
            var owner = Ownership.Find(report, $"overlay2/{folder}/diff/etc/hosts");
            Assert.Equal((OwnerKind.Mount, Some<MountName>(mount.Name), Some(folder), Seq1<MountName>(mount.Name)), (owner.Kind, owner.Mount, owner.CacheId, owner.Containers));
            Assert.Contains(namedBy, owner.Note, StringComparison.Ordinal);
            Assert.True(Ownership.OrphanFolder(report, folder).IsNone);
        }
        Assert.DoesNotContain(report.Cleanup, c => c.Path == "overlay2/" + lost.MountID || c.Path == "overlay2/" + noInit.InitID);
    }

    [Fact]
    public void The_orphan_folder_which_answers_with_carries_the_bytes_measured_under_it_and_no_other_finding_changes()
    {
        var model = LayerFunctional.Generation.Corrupters.Generate(4, new LayerFunctional.Generation.GeneratorOptions(Layers: 3, Mounts: 0, Images: 1),
            Seq1(ProblemKind.OrphanDriverDir)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None) { MeasureSizes = false }, model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var orphan = Assert.Single(report.Problems, p => p.Kind == ProblemKind.OrphanDriverDir);
        Assert.Equal(Some(orphan.Path), Ownership.OrphanFolder(report, orphan.Path + "/diff"));
        var measured = Ownership.WithOrphanBytes(report, orphan.Path, 12_345);
        Assert.Equal(Some(12_345L), measured.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir).Bind(p => p.Bytes));
        Assert.Equal(report.Problems.Filter(p => p.Kind != ProblemKind.OrphanDriverDir), measured.Problems.Filter(p => p.Kind != ProblemKind.OrphanDriverDir));
        Assert.Equal(report.Problems, Ownership.WithOrphanBytes(report, "overlay2/not-an-orphan", 1).Problems);
    }

    [Fact]
    public void A_folder_matched_back_to_its_lost_owner_names_that_layer_or_container()
    {
        var model = LayerFunctional.Generation.Corrupters.Generate(3, new LayerFunctional.Generation.GeneratorOptions(Layers: 3, Mounts: 0, Images: 1),
            Seq(ProblemKind.CacheIdMissing, ProblemKind.ContainerWithoutMount)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var report = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var layer = Assert.Single(model.Layers, l => !model.Entries.Exists(e => e.Path == l.Folder + "/cache-id"));
        var owner = Ownership.Find(report, $"overlay2/{layer.CacheID}/diff/x");
        Assert.Equal((OwnerKind.Layer, Some(layer.ChainID.ToString()), Some(layer.CacheID)), (owner.Kind, owner.ChainId, owner.CacheId));
        Assert.Contains(layer.Folder + "/cache-id is missing or blank", owner.Note, StringComparison.Ordinal);
        var mount = Assert.Single(model.Mounts);   // the corrupter's container, whose mount folder is gone
        foreach (var folder in new[] { mount.MountID, mount.InitID })
        {
            var of = Ownership.Find(report, $"overlay2/{folder}/diff");
            Assert.Equal((OwnerKind.Mount, Some<MountName>(mount.Name), Some(folder), Seq1<MountName>(mount.Name)), (of.Kind, of.Mount, of.CacheId, of.Containers));
            Assert.Contains("its mount folder is gone", of.Note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_path_through_l_is_the_folder_the_link_leads_to()
    {
        Assert.Equal(Some("overlay2/l/ABC"), Ownership.ShortLinkOf("overlay2/l/ABC/etc/hosts", Some<DriverName>("overlay2")));
        Assert.Equal(Some("fuse-overlayfs/l/ABC"), Ownership.ShortLinkOf("fuse-overlayfs/l/ABC", Some<DriverName>("fuse-overlayfs")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l", Some<DriverName>("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l/ABC", Some<DriverName>("vfs")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("vfs/l/ABC", Some<DriverName>("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/x/ABC", Some<DriverName>("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l/ABC", None));

        Assert.Equal($"overlay2/{Id}/diff/etc/hosts", Ownership.ThroughShortLink("overlay2/l/ABC/etc/hosts", $"../{Id}/diff"));
        Assert.Equal($"overlay2/{Id}/diff", Ownership.ThroughShortLink("overlay2/l/ABC", $"../{Id}/diff"));
        // A link that leaves the driver home, or an absolute one, leaves the path as asked.
        Assert.Equal("overlay2/l/ABC", Ownership.ThroughShortLink("overlay2/l/ABC", "../../../etc"));
        Assert.Equal("overlay2/l/ABC", Ownership.ThroughShortLink("overlay2/l/ABC", "/etc/passwd"));
    }
}

/// <summary>Prefixes name an ID only with 6 characters of the ID itself; a mount command's target is never read as an option.</summary>
public class LookupArgumentTests
{
    [Theory]
    [InlineData("3f2a9c", true)]
    [InlineData("3f2a9", false)]
    [InlineData("sha256:3f2a9c", true)]
    [InlineData("sha256:3f2a9", false)]
    [InlineData("sha256:", false)]
    [InlineData("sha256", false)]
    [InlineData("sha25", false)]
    [InlineData("sha256:3", false)]
    [InlineData("", false)]
    public void A_prefix_needs_six_characters_of_the_id_itself(string query, bool isPrefix)
    {
        Assert.Equal(isPrefix, Ownership.IsPrefixQuery(query));
    }

    [Theory]
    [InlineData("/mnt/x", "/mnt/x")]
    [InlineData("mnt", "mnt")]
    [InlineData("-w", "./-w")]
    [InlineData("-o rw", "./-o rw")]
    public void A_target_that_starts_with_a_dash_is_given_as_a_relative_path(string target, string given)
    {
        Assert.Equal(given, MountCommand.NotAnOption(target));
    }

    [Fact]
    public void An_empty_target_is_refused()
    {
        var report = CheckReport.Assemble("r", MobyVersion.Default,
            new LayerFunctional.Drivers.DriverDecision(Some<DriverName>("overlay2"), None, Empty, LayerFunctional.Drivers.Outcome.Loaded, "", Empty), None, Empty, Empty);
        Assert.Equal("the target folder is empty", MountCommand.For(report, "/r", "abc", "").Match(_ => "", e => e));
    }
}
