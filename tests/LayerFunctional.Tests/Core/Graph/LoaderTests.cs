using System.Text;
using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>The pure load (layer-store.md §3, §4, §7) on in-memory layerdbs with computed IDs.</summary>
public class LoaderTests
{
    private const string Db = "image/overlay2/layerdb";

    /// <summary>A valid layer: diff = sha256(name), chain from the parent, cache-id = sha256(name+"cache").</summary>
    private sealed record L(string Name, ChainID Chain, DiffID Diff, Option<ChainID> Parent)
    {
        public string Hex => Chain.Digest.Encoded;
        public string Folder => Db + "/sha256/" + Hex;
        public Map<string, RawFile> Files(params (string Name, string? Content)[] overrides)
        {
            var files = Map(
                ("diff", SnapshotBuilder.Text(Diff.ToString())),
                ("size", SnapshotBuilder.Text("100")),
                ("cache-id", SnapshotBuilder.Text(Digest.Sha256Of(Encoding.ASCII.GetBytes(Name + "cache")).Encoded)));
            files = Parent.Match(p => files.Add("parent", SnapshotBuilder.Text(p.ToString())), () => files);
            foreach (var (n, c) in overrides)
                files = c is null ? files.Remove(n) : files.AddOrUpdate(n, SnapshotBuilder.Text(c));
            return files;
        }
    }

    private static L Layer(string name, L? parent = null)
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var p = parent is null ? Option<ChainID>.None : Some(parent.Chain);
        return new L(name, ChainID.Compute(p, diff), diff, p);
    }

    private static Map<string, RawFile> MountFiles(string mountHex, L? parent) =>
        parent is null
            ? Map(("mount-id", SnapshotBuilder.Text(mountHex)), ("init-id", SnapshotBuilder.Text(mountHex + "-init")))
            : Map(("mount-id", SnapshotBuilder.Text(mountHex)), ("init-id", SnapshotBuilder.Text(mountHex + "-init")), ("parent", SnapshotBuilder.Text(parent.Chain.ToString())));

    private static string MountHex(string name) => Digest.Sha256Of(Encoding.ASCII.GetBytes("mount-" + name)).Encoded;

    private static LoadResult Load(SnapshotBuilder b, string moby = "29.0") =>
        LayerStoreLoad.Load(b.Build(), MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)));

    private static int Refs(LoadResult r, L l) => r.Store.Layers.Find(x => x.ChainID == l.Chain).Map(x => x.ReferenceCount).IfNone(-1);

    [Fact]
    public void Reference_counts_match_moby_measured_baseline()
    {
        // §4.5: A<-B<-C<-D, mount m on C, mount n on B: A=1, B=2, C=2, D=0.
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b); var d = Layer("d", c);
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files()).WithLayer(b.Chain.ToString(), b.Files())
            .WithLayer(c.Chain.ToString(), c.Files()).WithLayer(d.Chain.ToString(), d.Files())
            .WithMount("m", MountFiles(MountHex("m"), c)).WithMount("n", MountFiles(MountHex("n"), b)));
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
        Assert.Equal((1, 2, 2, 0), (Refs(r, a), Refs(r, b), Refs(r, c), Refs(r, d)));
        Assert.Equal(Seq(1, 2, 3, 4), Seq(a, b, c, d).Map(l => r.Store.Layers.Find(x => x.ChainID == l.Chain).Map(x => x.Depth).IfNone(0)));
        Assert.Equal(Seq("m", "n"), r.Store.Mounts.Map(m => m.Name));
        Assert.Empty(r.Problems);
    }

    [Fact]
    public void A_broken_size_drops_the_layer_its_descendants_and_their_mounts()
    {
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b);
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files())
            .WithLayer(b.Chain.ToString(), b.Files(("size", "10\n")))
            .WithLayer(c.Chain.ToString(), c.Files())
            .WithMount("m", MountFiles(MountHex("m"), c)));
        Assert.Equal(Seq1(a.Chain), r.Store.Layers.Map(l => l.ChainID));
        Assert.Equal(0, Refs(r, a));
        Assert.Equal(
            Seq((b.Chain, ProblemKind.SizeInvalid, b.Folder + "/size"), (c.Chain, ProblemKind.AncestorUnloadable, c.Folder + "/parent")).OrderBy(x => x.Item1.ToString(), StringComparer.Ordinal).ToSeq(),
            r.Store.SkippedLayers.Map(s => (s.ChainID, s.Kind, s.Path)));
        Assert.Equal(Seq1(new SkippedMount("m", ProblemKind.MountParentUnloadable, Db + "/mounts/m/parent")), r.Store.SkippedMounts);
        var root = r.Problems.Find(p => p.Kind == ProblemKind.SizeInvalid).IfNone(() => throw new Xunit.Sdk.XunitException("no size problem"));
        Assert.Equal($"moby skips layer {b.Chain.Short}; drops 1 descendant layer and 1 mount with it", root.Consequence);
    }

    [Fact]
    public void Missing_parent_folder_is_parent_layer_missing_then_ancestor_unloadable()
    {
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b);
        var r = Load(SnapshotBuilder.Empty.WithLayer(b.Chain.ToString(), b.Files()).WithLayer(c.Chain.ToString(), c.Files()));
        Assert.Empty(r.Store.Layers);
        Assert.Equal(
            Seq((ProblemKind.ParentLayerMissing, b.Folder + "/parent"), (ProblemKind.AncestorUnloadable, c.Folder + "/parent")).OrderBy(x => x.Item2, StringComparer.Ordinal).ToSeq(),
            r.Problems.Map(p => (p.Kind, p.Path)));
    }

    [Fact]
    public void Self_parent_and_two_cycle_stop_and_report_parent_cycle()
    {
        var s1 = Layer("s1"); var y1 = Layer("y1"); var y2 = Layer("y2"); var y3 = Layer("y3", y1); var b = Layer("b");
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(s1.Chain.ToString(), s1.Files(("parent", s1.Chain.ToString())))
            .WithLayer(y1.Chain.ToString(), y1.Files(("parent", y2.Chain.ToString())))
            .WithLayer(y2.Chain.ToString(), y2.Files(("parent", y1.Chain.ToString())))
            .WithLayer(y3.Chain.ToString(), y3.Files())
            .WithLayer(b.Chain.ToString(), b.Files())
            .WithMount("c", MountFiles(MountHex("c"), y3)));
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        Assert.Equal(Seq1(b.Chain), r.Store.Layers.Map(l => l.ChainID));
        var kinds = r.Store.SkippedLayers.Map(s => (s.ChainID, s.Kind)).ToDictionary(x => x.ChainID.ToString(), x => x.Kind);
        Assert.Equal(ProblemKind.ParentCycle, kinds[s1.Chain.ToString()]);
        Assert.Equal(ProblemKind.ParentCycle, kinds[y1.Chain.ToString()]);
        Assert.Equal(ProblemKind.ParentCycle, kinds[y2.Chain.ToString()]);
        Assert.Equal(ProblemKind.AncestorUnloadable, kinds[y3.Chain.ToString()]);
        Assert.Equal(ProblemKind.MountParentUnloadable, Assert.Single(r.Store.SkippedMounts).Kind);
        Assert.Contains(r.Problems, p => p.Kind == ProblemKind.ParentCycle && p.Message == $"parent links loop: {y1.Chain.Short} -> {y2.Chain.Short} -> {y1.Chain.Short}");
    }

    [Fact]
    public void A_cycle_member_with_a_broken_file_breaks_the_cycle_as_moby_does()
    {
        // loadLayer reads a layer's own files before it recurses: y2's bad size ends the walk there.
        var y1 = Layer("y1"); var y2 = Layer("y2");
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(y1.Chain.ToString(), y1.Files(("parent", y2.Chain.ToString())))
            .WithLayer(y2.Chain.ToString(), y2.Files(("parent", y1.Chain.ToString()), ("size", "x"))));
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
        Assert.Equal(
            Seq((ProblemKind.AncestorUnloadable, y1.Folder + "/parent"), (ProblemKind.SizeInvalid, y2.Folder + "/size")).OrderBy(x => x.Item2, StringComparer.Ordinal).ToSeq(),
            r.Problems.Map(p => (p.Kind, p.Path)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_cycle_of_1000_layers_terminates()
    {
        var layers = Enumerable.Range(0, 1000).Select(i => Layer("c" + i)).ToArray();
        var b = SnapshotBuilder.Empty;
        for (var i = 0; i < layers.Length; i++)
            b = b.WithLayer(layers[i].Chain.ToString(), layers[i].Files(("parent", layers[(i + 1) % layers.Length].Chain.ToString())));
        var r = Load(b);
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        Assert.Equal(1000, r.Store.SkippedLayers.Count(s => s.Kind == ProblemKind.ParentCycle));
        Assert.Empty(r.Store.Layers);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_chain_100000_deep_loads_without_recursion()
    {
        var layers = new L[100_000];
        var b = SnapshotBuilder.Empty;
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = Layer("deep" + i, i == 0 ? null : layers[i - 1]);
            b = b.WithLayer(layers[i].Chain.ToString(), layers[i].Files());
        }
        var r = Load(b);
        Assert.Equal(100_000, r.Store.Layers.Count);
        Assert.Equal(100_000, r.Store.Layers.Find(l => l.ChainID == layers[^1].Chain).Map(l => l.Depth).IfNone(0));
        Assert.Equal(0, Refs(r, layers[^1]));
        Assert.Equal(99_999, r.Store.Layers.Count(l => l.ReferenceCount == 1));
        Assert.Empty(r.Problems);

        var broken = LayerStoreLoad.Load(b.WithLayer(layers[0].Chain.ToString(), layers[0].Files(("diff", null))).Build(), MobyVersion.Default);
        Assert.Empty(broken.Store.Layers);
        Assert.Equal(100_000, broken.Store.SkippedLayers.Count);
        Assert.Equal($"moby skips layer {layers[0].Chain.Short}; drops 99999 descendant layers with it",
            broken.Problems.Find(p => p.Kind == ProblemKind.DiffIdMissing).Map(p => p.Consequence).IfNone(""));
    }

    [Fact]
    public void A_layer_reached_only_as_a_parent_gives_no_reference_to_its_own_parent()
    {
        // §4.5: a symlinked folder D used only as K's parent gets 1 from K; D's parent P gets nothing from D.
        var p = Layer("p"); var d = Layer("d", p); var k = Layer("k", d);
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(p.Chain.ToString(), p.Files())
            .WithUnlistedLayer(d.Chain.ToString(), d.Files())
            .WithLayer(k.Chain.ToString(), k.Files()));
        Assert.Equal((0, 1, 0), (Refs(r, p), Refs(r, d), Refs(r, k)));
        Assert.False(r.Store.Layers.Find(l => l.ChainID == d.Chain).Map(l => l.Listed).IfNone(true));
    }

    [Fact]
    public void A_sha512_parent_is_loaded_from_the_sha512_folder()
    {
        var parentChain = "sha512:" + new string('a', 128);
        var child = Layer("child");
        var parentFiles = Map(("diff", SnapshotBuilder.Text(parentChain)), ("size", SnapshotBuilder.Text("1")), ("cache-id", SnapshotBuilder.Text("x")));
        var r = Load(SnapshotBuilder.Empty
            .WithUnlistedLayer(parentChain, parentFiles)
            .WithLayer(child.Chain.ToString(), child.Files(("parent", parentChain))));
        Assert.Equal(1, r.Store.Layers.Find(l => l.ChainID.ToString() == parentChain).Map(l => l.ReferenceCount).IfNone(-1));
        Assert.Equal(2, r.Store.Layers.Count);
    }

    [Fact]
    public void Listing_keeps_real_folders_with_valid_names_only()
    {
        var a = Layer("a");
        var upper = a.Hex.ToUpperInvariant();
        var b = SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files())
            .WithSha256Entry(new DirectoryEntry("mounts", EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry(Layer("f").Hex, EntryType.File))
            .WithSha256Entry(new DirectoryEntry(Layer("s").Hex, EntryType.Symlink))
            .WithSha256Entry(new DirectoryEntry(a.Hex + "-" + new string('1', 64) + "-removing", EntryType.Directory))
            .WithSha256Entry(new DirectoryEntry(upper, EntryType.Directory));
        Assert.Equal(Seq1(a.Chain.ToString()), LayerStoreLoad.ListedLayers(b.Build().Sha256, MobyVersion.Default).Map(c => c.ToString()));
        // Before 18.04 the upper-case folder is listed too, under its own upper-case ChainID.
        Assert.Equal(Seq("sha256:" + upper, a.Chain.ToString()),
            LayerStoreLoad.ListedLayers(b.Build().Sha256, MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e))).Map(c => c.ToString()));
    }

    [Fact]
    public void Unlistable_sha256_or_mounts_aborts_the_store()
    {
        var snap = SnapshotBuilder.Empty.Build() with { Mounts = new DirectoryListing.Failed("not a directory") };
        var r = LayerStoreLoad.Load(snap, MobyVersion.Default);
        Assert.Equal(StoreOutcome.Aborted, r.Outcome);
        Assert.Equal(Seq1((ProblemKind.LayerdbUnreadable, Db + "/mounts")), r.Problems.Map(p => (p.Kind, p.Path)));
    }

    [Fact]
    public void Mounts_load_without_parent_and_skip_on_bad_files()
    {
        var a = Layer("a");
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files())
            .WithMount("scratch", MountFiles(MountHex("scratch"), null))
            .WithMount("weird name!", MountFiles(MountHex("w"), a))
            .WithMount("bad-id", Map(("mount-id", SnapshotBuilder.Text("NOT-HEX")), ("parent", SnapshotBuilder.Text(a.Chain.ToString()))))
            .WithMount("empty", Map<string, RawFile>())
            .WithMount("gone", MountFiles(MountHex("gone"), Layer("nowhere"))));
        Assert.Equal(Seq("scratch", "weird name!"), r.Store.Mounts.Map(m => m.Name));
        Assert.Equal(1, Refs(r, a));   // failed mounts add nothing
        Assert.Equal(
            Seq(("bad-id", ProblemKind.MountIdInvalid), ("empty", ProblemKind.MountIdMissing), ("gone", ProblemKind.MountParentUnloadable)),
            r.Store.SkippedMounts.Map(s => (s.Name, s.Kind)));
    }

    [Fact]
    public void Chain_id_mismatch_and_negative_size_are_reported_on_loaded_layers()
    {
        var a = Layer("a"); var b = Layer("b", a);
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files(("diff", Layer("other").Diff.ToString()), ("size", "-1")))
            .WithLayer(b.Chain.ToString(), b.Files()));
        Assert.Equal(2, r.Store.Layers.Count);
        Assert.Equal(Seq((ProblemKind.ChainIdMismatch, a.Folder), (ProblemKind.SizeNegative, a.Folder + "/size")), r.Problems.Map(p => (p.Kind, p.Path)));
        Assert.Equal(Severity.Warning, r.Problems.Find(p => p.Kind == ProblemKind.SizeNegative).Map(p => p.Severity).IfNone(Severity.Error));
    }

    [Fact]
    public void Load_does_not_depend_on_listing_order()
    {
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", a);
        var snap = SnapshotBuilder.Empty.WithLayer(a.Chain.ToString(), a.Files()).WithLayer(b.Chain.ToString(), b.Files(("size", "")))
            .WithLayer(c.Chain.ToString(), c.Files()).WithMount("m", MountFiles(MountHex("m"), c)).Build();
        var reversed = snap with { Sha256 = new DirectoryListing.Listed(((DirectoryListing.Listed)snap.Sha256).Entries.Rev()) };
        Assert.Equal(LayerStoreLoad.Load(snap, MobyVersion.Default), LayerStoreLoad.Load(reversed, MobyVersion.Default));
    }

    [Fact]
    public void Parent_folders_outside_the_listing_are_requested_from_the_shell()
    {
        var a = Layer("a"); var b = Layer("b", a);
        var snap = SnapshotBuilder.Empty.WithLayer(b.Chain.ToString(), b.Files()).WithMount("m", MountFiles(MountHex("m"), Layer("z"))).Build();
        Assert.Equal(Seq("sha256/" + a.Hex, "sha256/" + Layer("z").Hex).OrderBy(x => x, StringComparer.Ordinal).ToSeq(),
            LayerStoreLoad.UnreadParentFolders(snap, MobyVersion.Default).Map(c => c.Digest.FolderKey));
    }
}
