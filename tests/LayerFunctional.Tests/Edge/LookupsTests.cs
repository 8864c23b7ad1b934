using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Edge;

/// <summary>
/// <see cref="Lookups"/> read less than a check; each answer must still equal the answer the same question gets from a full
/// check of the same root.
/// </summary>
public class LookupsTests
{
    public static TheoryData<string> Kinds() => new()
    {
        "none", "orphan_driver_dir", "overlay_symlink_dangling", "mount_parent_unloadable", "size_invalid", "parent_cycle",
        "container_name_conflict", "image_layer_missing", "layerdb_absent", "driver_not_supported", "removal_leftover",
    };

    private sealed record Root(TempDir Dir, GeneratedRoot Model, LookupOptions Options, CheckReport Full) : IDisposable
    {
        public void Dispose() => Dir.Dispose();
    }

    /// <summary>A generated root on disk with one corruption (or none), and its full check (tar-split read, folders measured).</summary>
    private static Root Written(string kind)
    {
        var kinds = kind == "none" ? Seq<ProblemKind>() : Seq1(Corrupters.ParseKind(kind).IfNone(() => throw new InvalidOperationException(kind)));
        var model = Corrupters.Generate(21, new GeneratorOptions(Layers: 12, Mounts: 3, Images: 2), kinds)
            .IfLeft(e => throw new InvalidOperationException(e));
        var dir = new TempDir();
        RootWriter.Write(dir.Path, model).IfLeft(e => throw new InvalidOperationException(e));
        var options = new LookupOptions(dir.Path, model.Expected.Moby, model.Expected.Driver);
        var full = Checker.Check(new CheckOptions(dir.Path, options.Moby, options.Driver)).IfLeft(e => throw new InvalidOperationException(e));
        return new Root(dir, model, options, full);
    }

    private static T Right<T>(Either<string, T> e) => e.IfLeft(l => throw new InvalidOperationException(l));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Which_answers_as_the_full_check_for_every_id_and_folder(string kind)
    {
        using var root = Written(kind);
        var queries = root.Model.Layers.Map(l => l.ChainID.ToString())
            + root.Model.Layers.Map(l => "overlay2/" + l.CacheID + "/diff/etc/hosts")
            + root.Model.Mounts.Map(m => m.Name.Value[..8]) + root.Model.Mounts.Map(m => "overlay2/" + m.MountID + "-init")
            + root.Model.Images.Map(i => i.Id)
            + root.Model.Expected.Problems.Map(p => p.Path)
            + Seq("deadbeefcafe", "abc", "containers");
        // Paths through l/ links are rewritten before the question is asked (the test below).
        foreach (var q in queries.Filter(q => !q.StartsWith("overlay2/l/", StringComparison.Ordinal)))
        {
            var asked = q.Contains('/') ? Path.Combine(root.Dir.Path, q) : q;
            Assert.Equal(Ownership.Find(root.Full, q), Right(Lookups.Which(root.Options, asked)));
        }
    }

    [Fact]
    public void Which_of_an_orphan_folder_measures_that_folder()
    {
        using var root = Written("orphan_driver_dir");
        var orphan = root.Model.Expected.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir).IfNone(() => throw new InvalidOperationException());
        var owner = Right(Lookups.Which(root.Options, Path.Combine(root.Dir.Path, orphan.Path)));
        Assert.Equal(OwnerKind.Orphan, owner.Kind);
        var bytes = root.Full.Problems.Find(p => p.Path == orphan.Path).Bind(p => p.Bytes).IfNone(-1);
        Assert.True(bytes > 0, $"the check measured {orphan.Path}: {bytes}");
        Assert.Equal(Ownership.Find(root.Full, orphan.Path), owner);
    }

    [Fact]
    public void Which_through_an_overlay2_short_link_names_the_folder_it_leads_to()
    {
        using var root = Written("none");
        foreach (var layer in root.Model.Layers)
        {
            var owner = Right(Lookups.Which(root.Options, $"{root.Dir.Path}/overlay2/l/{layer.OverlayLink}/etc/hosts"));
            Assert.Equal(Ownership.Find(root.Full, $"overlay2/{layer.CacheID}/diff/etc/hosts"), owner);
            Assert.Equal(Some(layer.ChainID.ToString()), owner.ChainId);
        }
    }

    [Fact]
    public void Ownership_FindLoaded_answers_loaded_objects_and_leaves_orphans_to_the_rest()
    {
        using var root = Written("orphan_driver_dir");
        var layer = root.Model.Layers.Head;
        Assert.Equal(Some(OwnerKind.Layer), Ownership.FindLoaded(root.Full, layer.ChainID.ToString()).Map(o => o.Kind));
        var orphan = root.Model.Expected.Problems.Find(p => p.Kind == ProblemKind.OrphanDriverDir).IfNone(() => throw new InvalidOperationException());
        Assert.True(Ownership.FindLoaded(root.Full, orphan.Path).IsNone);
        Assert.Equal(Some(orphan.Path), Ownership.OrphanFolder(root.Full, orphan.Path));
        Assert.True(Ownership.OrphanFolder(root.Full, layer.ChainID.ToString()).IsNone);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GraphReport_draws_as_the_full_check(string kind)
    {
        using var root = Written(kind);
        var report = Right(Lookups.GraphReport(root.Options));
        foreach (var format in new[] { GraphFormat.Dot, GraphFormat.Mermaid })
            Assert.Equal(GraphRender.Render(root.Full, format), GraphRender.Render(report, format));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MountFor_gives_the_mount_of_the_full_check(string kind)
    {
        using var root = Written(kind);
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root.Dir.Path));
        var names = root.Model.Mounts.Map(m => m.Name.Value) + root.Model.Mounts.Map(m => m.Name.Value[..6])
            + root.Full.Containers.Values.Choose(c => c.Name).ToSeq() + Seq("nosuch", "web");
        foreach (var name in names)
        {
            var expected = MountCommand.For(root.Full, fullRoot, name, "/mnt/x");
            var actual = Right(Lookups.MountFor(root.Options, name, "/mnt/x"));
            Assert.Equal(Text(expected), Text(actual));
        }
    }

    private static string Text(Either<string, OverlayMount> mount) =>
        mount.Match(m => $"mount {m.Container} {string.Join(":", m.LowerDirs)} {m.Command}", e => "none " + e);

    [Fact]
    public void Lookups_on_a_missing_root_say_so_as_the_check_does()
    {
        var options = new LookupOptions("/nonexistent/root", MobyVersion.Default, None);
        Assert.Equal("/nonexistent/root does not exist", Lookups.Which(options, "abc").Match(_ => "", e => e));
        Assert.Equal("/nonexistent/root does not exist", Lookups.GraphReport(options).Match(_ => "", e => e));
        Assert.Equal("/nonexistent/root does not exist", Lookups.MountFor(options, "web", "/mnt").Match(_ => "", e => e));
        Assert.Equal("/nonexistent/root does not exist", Checker.Check(new CheckOptions(options.Root, options.Moby, None)).Match(_ => "", e => e));
    }
}
