using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Core.Graph;

/// <summary>
/// The pure load (layer-store.md §3, §4, §7) on in-memory layerdbs with computed IDs: reference counts, skips, cycles,
/// listings and mounts, and every field of every layer, skipped layer, mount and problem (kind, severity, path, chain, mount,
/// message and consequence) of small stores.
/// </summary>
public class LayerStoreLoadTests
{
    private const string Db = "image/overlay2/layerdb";

    private sealed record L(string Name, ChainID Chain, DiffID Diff, Option<ChainID> Parent)
    {
        public string Hex => Chain.Digest.Encoded;
        public string Key => "sha256/" + Hex;
        public string Folder => Db + "/sha256/" + Hex;
        public string Cache => Digest.Sha256Of(Encoding.ASCII.GetBytes(Name + "cache")).Encoded;
        public string Short => Chain.Short;
        public string Id => Chain.ToString();

        public Map<string, RawFile> Files(params (string Name, string? Content)[] overrides)
        {
            var files = Map(
                ("diff", SnapshotBuilder.Text(Diff.ToString())),
                ("size", SnapshotBuilder.Text("100")),
                ("cache-id", SnapshotBuilder.Text(Cache)));
            files = Parent.Match(p => files.Add("parent", SnapshotBuilder.Text(p.ToString())), () => files);
            foreach (var (n, c) in overrides)
                files = c is null ? files.Remove(n) : files.AddOrUpdate(n, SnapshotBuilder.Text(c));
            return files;
        }

        public Layer Loaded(int refs, int depth, bool listed = true, long size = 100) =>
            new(new LayerFunctional.Parsing.LayerFolder(Chain, Diff, size, CacheID.Parse(Cache, MobyVersion.Default).IfLeft(_ => throw new InvalidOperationException()), Parent,
                LayerDescriptor.Empty), refs, depth, listed);
    }

    private static Layer WithDiff(Layer layer, DiffID diff) => layer with { Folder = layer.Folder with { DiffID = diff } };

    private static L Layer(string name, L? parent = null) => Layer(name, parent?.Chain);

    private static L Layer(string name, ChainID? parent)
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var p = parent is null ? Option<ChainID>.None : Some(parent);
        return new L(name, ChainID.Compute(p, diff), diff, p);
    }

    private static ChainID Chain(string hex) => ChainID.Parse("sha256:" + hex, MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));

    private static string MountHex(string name) => Digest.Sha256Of(Encoding.ASCII.GetBytes("mount-" + name)).Encoded;

    private static Map<string, RawFile> MountFiles(string name, L? parent, bool init = true)
    {
        var files = Map(("mount-id", SnapshotBuilder.Text(MountHex(name))));
        if (init) files = files.Add("init-id", SnapshotBuilder.Text(MountHex(name) + "-init"));
        return parent is null ? files : files.Add("parent", SnapshotBuilder.Text(parent.Id));
    }

    private static Mount MountOf(string name, L? parent, bool init = true) =>
        new(name, MountID.Parse(MountHex(name)).IfLeft(_ => throw new InvalidOperationException()),
            init ? Some(InitID.Parse(MountHex(name) + "-init").IfLeft(_ => throw new InvalidOperationException())) : None,
            parent is null ? None : Some(parent.Chain));

    private static SnapshotBuilder With(SnapshotBuilder b, params L[] layers) =>
        layers.Aggregate(b, (acc, l) => acc.WithLayer(l.Id, l.Files()));

    private static LoadResult Load(SnapshotBuilder b, string moby = "29.0") => Load(b.Build(), moby);

    private static LoadResult Load(LayerDbSnapshot s, string moby = "29.0") =>
        LayerStoreLoad.Load(s, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)));

    private static Problem F(ProblemKind kind, string path, L? chain, Fact fact, string? mount = null, Severity severity = Severity.Error, Cascade? cascade = null) =>
        new(kind, severity, path, chain is null ? None : Some(chain.Chain), Optional(mount).Map(static m => new MountName(m)), None, fact) { Cascade = cascade ?? Cascade.None };

    private static Problem Fault(L l, LayerError e, Cascade? cascade = null) => F(e.Kind, e.Path, l, new Fact.LayerFolderFault(l.Chain, e), cascade: cascade);

    private static Problem Ancestor(L l, L root) => F(ProblemKind.AncestorUnloadable, l.Folder + "/parent", l, new Fact.AncestorUnloadable(l.Chain, root.Chain));

    private static Problem MountParent(string mount, L parent, bool missing = false) =>
        F(ProblemKind.MountParentUnloadable, Db + "/mounts/" + mount + "/parent", parent, new Fact.MountParentUnloadable(parent.Chain, missing), mount);

    private static Problem MountFault(string mount, LayerError e) => F(e.Kind, e.Path, null, new Fact.MountFolderFault(e), mount);

    /// <summary>A member of a parent loop; the loop is compared from its smallest chain ID (<see cref="Normal"/>).</summary>
    private static Problem Cycle(L l, Cascade cascade, params L[] loop) =>
        Normal(F(ProblemKind.ParentCycle, l.Folder + "/parent", l, new Fact.ParentCycle(l.Chain, toSeq(loop.Select(m => m.Chain))), cascade: cascade));

    // A loop's members in link order, starting from the smallest chain ID (the load starts it where its walk entered the loop).
    private static Problem Normal(Problem p)
    {
        if (p.Fact is not Fact.ParentCycle c) return p;
        var start = c.Loop.ToList().IndexOf(c.Loop.MinBy(m => m.ToString(), StringComparer.Ordinal)!);
        return p with { Fact = c with { Loop = c.Loop.Skip(start).Concat(c.Loop.Take(start)).ToSeq().Strict() } };
    }

    private static Seq<Problem> Sorted(params Problem[] problems) => problems.OrderBy(p => p, Comparer<Problem>.Create(Problem.Compare)).ToSeq();

    private static Seq<T> ByChain<T>(Func<T, ChainID> chain, params T[] items) =>
        items.OrderBy(x => chain(x).ToString(), StringComparer.Ordinal).ToSeq();

    private static int Refs(LoadResult r, L l) => r.Store.Layers.Find(x => x.ChainID == l.Chain).Map(x => x.ReferenceCount).IfNone(-1);

    [Fact]
    public void Reference_counts_match_moby_measured_baseline()
    {
        // §4.5: A<-B<-C<-D, mount m on C, mount n on B: A=1, B=2, C=2, D=0.
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b); var d = Layer("d", c);
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Chain.ToString(), a.Files()).WithLayer(b.Chain.ToString(), b.Files())
            .WithLayer(c.Chain.ToString(), c.Files()).WithLayer(d.Chain.ToString(), d.Files())
            .WithMount("m", MountFiles("m", c)).WithMount("n", MountFiles("n", b)));
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
        Assert.Equal((1, 2, 2, 0), (Refs(r, a), Refs(r, b), Refs(r, c), Refs(r, d)));
        Assert.Equal(Seq(1, 2, 3, 4), Seq(a, b, c, d).Map(l => r.Store.Layers.Find(x => x.ChainID == l.Chain).Map(x => x.Depth).IfNone(0)));
        Assert.Equal(Seq<MountName>("m", "n"), r.Store.Mounts.Map(m => m.Name));
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
            .WithMount("m", MountFiles("m", c)));
        Assert.Equal(Seq1(a.Chain), r.Store.Layers.Map(l => l.ChainID));
        Assert.Equal(0, Refs(r, a));
        Assert.Equal(
            Seq((b.Chain, ProblemKind.SizeInvalid, b.Folder + "/size"), (c.Chain, ProblemKind.AncestorUnloadable, c.Folder + "/parent")).OrderBy(x => x.Item1.ToString(), StringComparer.Ordinal).ToSeq(),
            r.Store.SkippedLayers.Map(s => (s.ChainID, s.Kind, s.Path)));
        Assert.Equal(Seq1(new SkippedMount("m", ProblemKind.MountParentUnloadable, Db + "/mounts/m/parent")), r.Store.SkippedMounts);
        var root = r.Problems.Find(p => p.Kind == ProblemKind.SizeInvalid).IfNone(() => throw new Xunit.Sdk.XunitException("no size problem"));
        Assert.Equal(new Cascade(1, 1), root.Cascade);
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
            .WithMount("c", MountFiles("c", y3)));
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        Assert.Equal(Seq1(b.Chain), r.Store.Layers.Map(l => l.ChainID));
        var kinds = r.Store.SkippedLayers.Map(s => (s.ChainID, s.Kind)).ToDictionary(x => x.ChainID.ToString(), x => x.Kind);
        Assert.Equal(ProblemKind.ParentCycle, kinds[s1.Chain.ToString()]);
        Assert.Equal(ProblemKind.ParentCycle, kinds[y1.Chain.ToString()]);
        Assert.Equal(ProblemKind.ParentCycle, kinds[y2.Chain.ToString()]);
        Assert.Equal(ProblemKind.AncestorUnloadable, kinds[y3.Chain.ToString()]);
        Assert.Equal(ProblemKind.MountParentUnloadable, Assert.Single(r.Store.SkippedMounts).Kind);
        Assert.Contains(r.Problems.Map(Normal), p => p.Fact == new Fact.ParentCycle(y1.Chain, Seq(y1.Chain, y2.Chain).OrderBy(c => c.ToString(), StringComparer.Ordinal).ToSeq()));
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
        Assert.Equal(Some(new Cascade(99_999, 0)), broken.Problems.Find(p => p.Kind == ProblemKind.DiffIdMissing).Map(p => p.Cascade));
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
            .WithMount("scratch", MountFiles("scratch", null))
            .WithMount("weird name!", MountFiles("w", a))
            .WithMount("bad-id", Map(("mount-id", SnapshotBuilder.Text("NOT-HEX")), ("parent", SnapshotBuilder.Text(a.Chain.ToString()))))
            .WithMount("empty", Map<string, RawFile>())
            .WithMount("gone", MountFiles("gone", Layer("nowhere"))));
        Assert.Equal(Seq<MountName>("scratch", "weird name!"), r.Store.Mounts.Map(m => m.Name));
        Assert.Equal(1, Refs(r, a));   // failed mounts add nothing
        Assert.Equal(
            Seq(("bad-id", ProblemKind.MountIdInvalid), ("empty", ProblemKind.MountIdMissing), ("gone", ProblemKind.MountParentUnloadable)),
            r.Store.SkippedMounts.Map(s => (s.Name.Value, s.Kind)));
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
            .WithLayer(c.Chain.ToString(), c.Files()).WithMount("m", MountFiles("m", c)).Build();
        var reversed = snap with { Sha256 = new DirectoryListing.Listed(((DirectoryListing.Listed)snap.Sha256).Entries.Rev()) };
        Assert.Equal(LayerStoreLoad.Load(snap, MobyVersion.Default), LayerStoreLoad.Load(reversed, MobyVersion.Default));
    }

    [Fact]
    public void Parent_folders_outside_the_listing_are_requested_from_the_shell()
    {
        var a = Layer("a"); var b = Layer("b", a);
        var snap = SnapshotBuilder.Empty.WithLayer(b.Chain.ToString(), b.Files()).WithMount("m", MountFiles("m", Layer("z"))).Build();
        Assert.Equal(Seq("sha256/" + a.Hex, "sha256/" + Layer("z").Hex).OrderBy(x => x, StringComparer.Ordinal).ToSeq(),
            LayerStoreLoad.UnreadParentFolders(snap, MobyVersion.Default).Map(c => c.Digest.FolderKey));
    }

    [Fact]
    public void A_healthy_store_loads_every_field()
    {
        // a <- b <- c, b also under d; mount m on c (with init), n on b (no init), s from scratch; u unlisted under a
        // (reached as k's parent: it gives a no reference, §4.5).
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b); var d = Layer("d", b); var u = Layer("u", a); var k = Layer("k", u);
        var snap = With(SnapshotBuilder.Empty, a, b, c, d, k)
            .WithUnlistedLayer(u.Id, u.Files())
            .WithMount("m", MountFiles("m", c)).WithMount("n", MountFiles("n", b, init: false)).WithMount("s", MountFiles("s", null));
        var r = Load(snap);
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
        Assert.Empty(r.Problems);
        Assert.Equal(ByChain(l => l.ChainID,
                a.Loaded(refs: 1, depth: 1), b.Loaded(refs: 3, depth: 2), c.Loaded(refs: 1, depth: 3), d.Loaded(refs: 0, depth: 3),
                u.Loaded(refs: 1, depth: 2, listed: false), k.Loaded(refs: 0, depth: 3)),
            r.Store.Layers);
        Assert.Equal(Seq(MountOf("m", c), MountOf("n", b, init: false), MountOf("s", null)), r.Store.Mounts);
        Assert.Empty(r.Store.SkippedLayers);
        Assert.Empty(r.Store.SkippedMounts);
    }

    [Fact]
    public void A_failing_layer_names_what_it_drops()
    {
        // a <- b(bad size) <- c <- e, b <- f; mounts on c, e and b; x (bad diff) with nothing on it; y (bad cache-id) with one mount.
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", b); var e = Layer("e", c); var f = Layer("f", b);
        var x = Layer("x"); var y = Layer("y"); var z = Layer("z", y);
        var snap = With(SnapshotBuilder.Empty, a, c, e, f, z)
            .WithLayer(b.Id, b.Files(("size", "x")))
            .WithLayer(x.Id, x.Files(("diff", "sha256:0")))
            .WithLayer(y.Id, y.Files(("cache-id", " \n")))
            .WithMount("m1", MountFiles("m1", c)).WithMount("m2", MountFiles("m2", e)).WithMount("m3", MountFiles("m3", b))
            .WithMount("m4", MountFiles("m4", y));
        var r = Load(snap);
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
        Assert.Equal(Seq1(a.Loaded(refs: 0, depth: 1)), r.Store.Layers);
        Assert.Equal(Sorted(
                Fault(b, new LayerError.Malformed(b.Folder + "/size", ProblemKind.SizeInvalid, "\"x\"", "strconv.ParseInt: parsing \"x\": invalid syntax"), new Cascade(3, 3)),
                Ancestor(c, b),
                Ancestor(e, b),
                Ancestor(f, b),
                Fault(x, new LayerError.Malformed(x.Folder + "/diff", ProblemKind.DiffIdInvalid, "\"sha256:0\"", "invalid checksum digest length")),
                Fault(y, new LayerError.Malformed(y.Folder + "/cache-id", ProblemKind.CacheIdInvalid, "\" \\n\"", "invalid cache id value"), new Cascade(1, 1)),
                Ancestor(z, y),
                MountParent("m1", c),
                MountParent("m2", e),
                MountParent("m3", b),
                MountParent("m4", y)),
            r.Problems);
        Assert.Equal(ByChain(s => s.ChainID,
                new SkippedLayer(b.Chain, ProblemKind.SizeInvalid, b.Folder + "/size"),
                new SkippedLayer(c.Chain, ProblemKind.AncestorUnloadable, c.Folder + "/parent"),
                new SkippedLayer(e.Chain, ProblemKind.AncestorUnloadable, e.Folder + "/parent"),
                new SkippedLayer(f.Chain, ProblemKind.AncestorUnloadable, f.Folder + "/parent"),
                new SkippedLayer(x.Chain, ProblemKind.DiffIdInvalid, x.Folder + "/diff"),
                new SkippedLayer(y.Chain, ProblemKind.CacheIdInvalid, y.Folder + "/cache-id"),
                new SkippedLayer(z.Chain, ProblemKind.AncestorUnloadable, z.Folder + "/parent")),
            r.Store.SkippedLayers);
        Assert.Equal(Seq("m1", "m2", "m3", "m4").Map(m => new SkippedMount(m, ProblemKind.MountParentUnloadable, Db + "/mounts/" + m + "/parent")),
            r.Store.SkippedMounts);
        Assert.Empty(r.Store.Mounts);
    }

    [Fact]
    public void Drops_wording_for_single_and_plural_counts()
    {
        // p: 2 mounts, no descendants; q: 1 descendant, no mounts; w: 2 descendants and 2 mounts... one by one.
        var p = Layer("p"); var q = Layer("q"); var q1 = Layer("q1", q); var w = Layer("w"); var w1 = Layer("w1", w); var w2 = Layer("w2", w1);
        var snap = With(SnapshotBuilder.Empty, q1, w1, w2)
            .WithLayer(p.Id, p.Files(("size", "")))
            .WithLayer(q.Id, q.Files(("size", "")))
            .WithLayer(w.Id, w.Files(("size", "")))
            .WithMount("a", MountFiles("a", p)).WithMount("b", MountFiles("b", p))
            .WithMount("c", MountFiles("c", w2)).WithMount("d", MountFiles("d", w)).WithMount("e", MountFiles("e", w1));
        var r = Load(snap);
        Option<Problem> SizeProblem(L l) => r.Problems.Find(x => x.Kind == ProblemKind.SizeInvalid && x.ChainId == Some(l.Chain));
        Assert.Equal(Some(new Cascade(0, 2)), SizeProblem(p).Map(x => x.Cascade));
        Assert.Equal(Some(new Cascade(1, 0)), SizeProblem(q).Map(x => x.Cascade));
        Assert.Equal(Some(new Cascade(2, 3)), SizeProblem(w).Map(x => x.Cascade));
        Assert.Equal(Some<Fact>(new Fact.LayerFolderFault(p.Chain, new LayerError.Malformed(p.Folder + "/size", ProblemKind.SizeInvalid, "\"\"", "strconv.ParseInt: parsing \"\": invalid syntax"))),
            SizeProblem(p).Map(x => x.Fact));
    }

    [Fact]
    public void A_missing_parent_folder_and_a_missing_mount_parent()
    {
        var gone = Layer("gone"); var b = Layer("b", gone); var c = Layer("c", b); var g2 = Layer("gone2");
        var r = Load(With(SnapshotBuilder.Empty, b, c)
            .WithMount("m", MountFiles("m", c)).WithMount("n", MountFiles("n", b)).WithMount("o", MountFiles("o", g2)));
        Assert.Empty(r.Store.Layers);
        Assert.Equal(Sorted(
                F(ProblemKind.ParentLayerMissing, b.Folder + "/parent", b, new Fact.ParentFolderMissing(b.Chain, Some(gone.Chain)), cascade: new Cascade(1, 2)),
                Ancestor(c, b),
                MountParent("m", c),
                MountParent("n", b),
                MountParent("o", g2, missing: true)),
            r.Problems);
        Assert.Equal(StoreOutcome.Loaded, r.Outcome);
    }

    [Fact]
    public void A_cycle_names_its_loop_from_each_member_and_what_it_drops()
    {
        // x -> y -> z -> x, t on x, mount on t and on y.
        var hx = Layer("x").Chain; var hy = Layer("y").Chain; var hz = Layer("z").Chain;
        var x = Layer("x", hy) with { Chain = hx }; var y = Layer("y", hz) with { Chain = hy }; var z = Layer("z", hx) with { Chain = hz };
        var t = Layer("t", hx);
        var r = Load(With(SnapshotBuilder.Empty, x, y, z, t).WithMount("m", MountFiles("m", t)).WithMount("n", MountFiles("n", y)));
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        Assert.Equal(Sorted(
                Cycle(x, new Cascade(1, 1), x, y, z),
                Cycle(y, new Cascade(0, 1), x, y, z),
                Cycle(z, Cascade.None, x, y, z),
                Ancestor(t, x),
                MountParent("m", t),
                MountParent("n", y)),
            r.Problems.Map(Normal));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    public void Every_member_of_a_long_loop_names_the_whole_loop(int n)
    {
        var chains = Enumerable.Range(0, n).Select(i => Layer("loop" + i).Chain).ToArray();
        var layers = Enumerable.Range(0, n).Select(i => Layer("loop" + i, chains[(i + 1) % n]) with { Chain = chains[i] }).ToArray();
        var r = Load(With(SnapshotBuilder.Empty, layers));
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(Some(Cycle(layers[i], Cascade.None, layers).Fact), r.Problems.Find(p => p.ChainId == Some(chains[i])).Map(p => Normal(p).Fact));
        }
        Assert.Equal(n, r.Store.SkippedLayers.Count);
    }

    [Fact]
    public void A_self_parent_is_a_one_layer_loop_and_a_chain_into_a_loop_is_ancestor_unloadable()
    {
        var hs = Layer("s").Chain;
        var s = Layer("s", hs) with { Chain = hs };
        var above = Layer("above", s); var top = Layer("top", above);
        var r = Load(With(SnapshotBuilder.Empty, s, above, top));
        Assert.Equal(Sorted(
                Cycle(s, new Cascade(2, 0), s),
                Ancestor(above, s),
                Ancestor(top, s)),
            r.Problems.Map(Normal));
    }

    [Fact]
    public void Unreadable_files_and_folders_say_what_moby_would_do()
    {
        var a = Layer("a"); var b = Layer("b"); var c = Layer("c"); var d = Layer("d"); var e = Layer("e"); var f = Layer("f"); var g = Layer("g");
        var snap = SnapshotBuilder.Empty
            .WithLayer(a.Id, a.Files().AddOrUpdate("size", new RawFile.NotRegular("fifo")))
            .WithLayer(b.Id, b.Files().AddOrUpdate("diff", new RawFile.Unreadable("permission denied")))
            .WithLayer(c.Id, c.Files().AddOrUpdate("cache-id", new RawFile.TooLarge(99999)))
            .WithLayer(d.Id, d.Files().AddOrUpdate("parent", new RawFile.OutsideRoot("/etc/passwd")))
            .WithLayer(e.Id, e.Files().AddOrUpdate("descriptor.json", new RawFile.NotRead(5)))
            .Build();
        snap = snap with
        {
            Sha256 = new DirectoryListing.Listed(((DirectoryListing.Listed)snap.Sha256).Entries
                .Add(new DirectoryEntry(f.Hex, EntryType.Directory)).Add(new DirectoryEntry(g.Hex, EntryType.Directory))),
            LayerDirs = snap.LayerDirs.Add(f.Chain, new RawDirectory.Unreadable("permission denied")).Add(g.Chain, new RawDirectory.OutsideRoot("/tmp/x")),
        };
        var r = Load(snap);
        Assert.Equal(Sorted(
                Fault(a, new LayerError.FileUnreadable(a.Folder + "/size", ProblemKind.NotARegularFile, "it is a fifo")),
                Fault(b, new LayerError.FileUnreadable(b.Folder + "/diff", ProblemKind.EntryUnreadable, "permission denied")),
                Fault(c, new LayerError.FileUnreadable(c.Folder + "/cache-id", ProblemKind.FileTooLarge, "99999 bytes, over the 16 MiB read limit")),
                Fault(d, new LayerError.FileUnreadable(d.Folder + "/parent", ProblemKind.SymlinkOutsideRoot, "symbolic link to /etc/passwd, outside the docker root (not followed)")),
                Fault(e, new LayerError.FileUnreadable(e.Folder + "/descriptor.json", ProblemKind.EntryUnreadable, "not read")),
                Fault(f, new LayerError.FileUnreadable(f.Folder, ProblemKind.EntryUnreadable, "permission denied")),
                Fault(g, new LayerError.FileUnreadable(g.Folder, ProblemKind.SymlinkOutsideRoot, "symbolic link to /tmp/x, outside the docker root (not followed)"))),
            r.Problems);
        Assert.Empty(r.Store.Layers);
        Assert.Equal(7, r.Store.SkippedLayers.Count);
    }

    [Fact]
    public void Mount_failures_name_the_file_and_the_container_cost()
    {
        var a = Layer("a");
        var snap = With(SnapshotBuilder.Empty, a)
            .WithMount("noid", Map(("init-id", SnapshotBuilder.Text(MountHex("x") + "-init"))))
            .WithMount("badinit", Map(("mount-id", SnapshotBuilder.Text(MountHex("y"))), ("init-id", SnapshotBuilder.Text("zz"))))
            .WithMount("badparent", Map(("mount-id", SnapshotBuilder.Text(MountHex("z"))), ("parent", SnapshotBuilder.Text(a.Hex))))
            .WithMount("fifo", Map(("mount-id", (RawFile)new RawFile.NotRegular("fifo"))))
            .WithMount("ok", MountFiles("ok", a))
            .Build();
        snap = snap with
        {
            Mounts = new DirectoryListing.Listed(((DirectoryListing.Listed)snap.Mounts).Entries
                .Add(new DirectoryEntry("locked", EntryType.Directory)).Add(new DirectoryEntry("vanished", EntryType.Directory))
                .Add(new DirectoryEntry("afile", EntryType.File))),
            MountDirs = snap.MountDirs.Add("locked", new RawDirectory.Unreadable("permission denied")),
        };
        var r = Load(snap);
        const string M = Db + "/mounts/";
        Assert.Equal(Sorted(
                MountFault("noid", new LayerError.FileMissing(M + "noid/mount-id", ProblemKind.MountIdMissing)),
                MountFault("badinit", new LayerError.Malformed(M + "badinit/init-id", ProblemKind.InitIdInvalid, "\"zz\"", "invalid init id value")),
                MountFault("badparent", new LayerError.Malformed(M + "badparent/parent", ProblemKind.MountParentInvalid, $"\"{a.Hex}\"", "invalid checksum digest format")),
                MountFault("fifo", new LayerError.FileUnreadable(M + "fifo/mount-id", ProblemKind.NotARegularFile, "it is a fifo")),
                MountFault("locked", new LayerError.FileUnreadable(M + "locked", ProblemKind.EntryUnreadable, "permission denied")),
                MountFault("vanished", new LayerError.FileUnreadable(M + "vanished", ProblemKind.EntryUnreadable, "vanished while reading"))),
            r.Problems);
        Assert.Equal(Seq(
                new SkippedMount("badinit", ProblemKind.InitIdInvalid, M + "badinit/init-id"),
                new SkippedMount("badparent", ProblemKind.MountParentInvalid, M + "badparent/parent"),
                new SkippedMount("fifo", ProblemKind.NotARegularFile, M + "fifo/mount-id"),
                new SkippedMount("locked", ProblemKind.EntryUnreadable, M + "locked"),
                new SkippedMount("noid", ProblemKind.MountIdMissing, M + "noid/mount-id"),
                new SkippedMount("vanished", ProblemKind.EntryUnreadable, M + "vanished")),
            r.Store.SkippedMounts);
        Assert.Equal(Seq1(MountOf("ok", a)), r.Store.Mounts);
        Assert.Equal(Seq1(a.Loaded(refs: 1, depth: 1)), r.Store.Layers);
    }

    [Fact]
    public void Loaded_layer_checks_have_exact_texts()
    {
        var a = Layer("a"); var b = Layer("b", a); var other = Layer("other");
        var r = Load(SnapshotBuilder.Empty
            .WithLayer(a.Id, a.Files(("diff", other.Diff.ToString()), ("size", "-5")))
            .WithLayer(b.Id, b.Files(("diff", other.Diff.ToString()), ("size", "0"))));
        var computed = ChainID.Compute(Some(a.Chain), other.Diff);
        Assert.Equal(Sorted(
                F(ProblemKind.ChainIdMismatch, a.Folder, a, new Fact.ChainIdMismatch(None, other.Diff, ChainID.Compute(None, other.Diff))),
                F(ProblemKind.SizeNegative, a.Folder + "/size", a, new Fact.SizeNegative(-5), severity: Severity.Warning),
                F(ProblemKind.ChainIdMismatch, b.Folder, b, new Fact.ChainIdMismatch(Some(a.Chain), other.Diff, computed))),
            r.Problems);
        Assert.Equal(ByChain(l => l.ChainID, WithDiff(a.Loaded(refs: 1, depth: 1, size: -5), other.Diff), WithDiff(b.Loaded(refs: 0, depth: 2, size: 0), other.Diff)),
            r.Store.Layers);
    }

    [Fact]
    public void A_parent_reached_only_through_a_link_is_loaded_but_not_listed_and_a_failing_one_is_not_skipped()
    {
        var a = Layer("a"); var b = Layer("b", a); var bad = Layer("bad"); var c = Layer("c", bad);
        var r = Load(SnapshotBuilder.Empty
            .WithUnlistedLayer(a.Id, a.Files())
            .WithLayer(b.Id, b.Files())
            .WithUnlistedLayer(bad.Id, bad.Files(("diff", null)))
            .WithLayer(c.Id, c.Files()));
        Assert.Equal(ByChain(l => l.ChainID, a.Loaded(refs: 1, depth: 1, listed: false), b.Loaded(refs: 0, depth: 2)), r.Store.Layers);
        Assert.Equal(Seq1(new SkippedLayer(c.Chain, ProblemKind.AncestorUnloadable, c.Folder + "/parent")), r.Store.SkippedLayers);
        Assert.Equal(Sorted(
                Fault(bad, new LayerError.FileMissing(bad.Folder + "/diff", ProblemKind.DiffIdMissing), new Cascade(1, 0)),
                Ancestor(c, bad)),
            r.Problems);
    }

    [Fact]
    public void An_empty_layer_folder_is_layer_dir_empty()
    {
        var a = Layer("a");
        var r = Load(SnapshotBuilder.Empty.WithLayer(a.Id, Map<string, RawFile>()));
        Assert.Equal(Seq1(Fault(a, new LayerError.FolderEmpty(a.Folder))), r.Problems);
    }

    [Fact]
    public void Unlistable_folders_abort_with_both_reasons()
    {
        var a = Layer("a");
        var snap = With(SnapshotBuilder.Empty, a).Build() with
        {
            Sha256 = new DirectoryListing.Failed("permission denied"),
            Mounts = new DirectoryListing.Failed("not a directory"),
        };
        var r = Load(snap);
        Assert.Equal(StoreOutcome.Aborted, r.Outcome);
        Assert.Equal(LayerStore.Empty, r.Store);
        Assert.Equal(Seq(
                new Problem(ProblemKind.LayerdbUnreadable, Severity.Error, Db + "/sha256", None, None, None, new Fact.LayerDbUnlistable("permission denied")),
                new Problem(ProblemKind.LayerdbUnreadable, Severity.Error, Db + "/mounts", None, None, None, new Fact.LayerDbUnlistable("not a directory"))),
            r.Problems);
        var onlySha = Load(With(SnapshotBuilder.Empty, a).Build() with { Sha256 = new DirectoryListing.Failed("x") });
        Assert.Equal(Seq1(Db + "/sha256"), onlySha.Problems.Map(p => p.Path));
    }

    [Fact]
    public void Absent_listings_load_nothing_from_them()
    {
        var a = Layer("a");
        var snap = With(SnapshotBuilder.Empty, a).WithMount("m", MountFiles("m", null)).Build();
        var noSha = Load(snap with { Sha256 = new DirectoryListing.Absent() });
        Assert.Equal(StoreOutcome.Loaded, noSha.Outcome);
        Assert.Empty(noSha.Store.Layers);
        Assert.Equal(Seq1(MountOf("m", null)), noSha.Store.Mounts);
        var noMounts = Load(snap with { Mounts = new DirectoryListing.Absent() });
        Assert.Equal(Seq1(a.Loaded(refs: 0, depth: 1)), noMounts.Store.Layers);
        Assert.Empty(noMounts.Store.Mounts);
    }

    [Fact]
    public void Listed_mounts_are_real_folders_sorted_ordinal()
    {
        var listing = new DirectoryListing.Listed(Seq(
            new DirectoryEntry("b", EntryType.Directory), new DirectoryEntry("B", EntryType.Directory), new DirectoryEntry("f", EntryType.File),
            new DirectoryEntry("l", EntryType.Symlink), new DirectoryEntry("a", EntryType.Directory), new DirectoryEntry("o", EntryType.Other)));
        Assert.Equal(Seq<MountName>("B", "a", "b"), LayerStoreLoad.ListedMounts(listing));
        Assert.Empty(LayerStoreLoad.ListedMounts(new DirectoryListing.Absent()));
        Assert.Empty(LayerStoreLoad.ListedMounts(new DirectoryListing.Failed("x")));
        Assert.Empty(LayerStoreLoad.ListedLayers(new DirectoryListing.Failed("x"), MobyVersion.Default));
    }

    [Fact]
    public void Listed_layers_are_sorted_by_hex()
    {
        var names = new[] { "f", "0", "a" }.Select(c => new string(c[0], 64)).ToArray();
        var listing = new DirectoryListing.Listed(names.Select(n => new DirectoryEntry(n, EntryType.Directory)).ToSeq());
        Assert.Equal(Seq(new string('0', 64), new string('a', 64), new string('f', 64)),
            LayerStoreLoad.ListedLayers(listing, MobyVersion.Default).Map(c => c.Digest.Encoded));
    }

    [Fact]
    public void Parent_folders_to_read_come_from_layers_and_mounts_once_each()
    {
        var a = Layer("a"); var b = Layer("b", a); var c = Layer("c", a); var z = Layer("z"); var y = Layer("y"); var w = Layer("w", y);
        var snap = With(SnapshotBuilder.Empty, b, c, w, y)
            .WithMount("m", MountFiles("m", z)).WithMount("n", MountFiles("n", a)).WithMount("s", MountFiles("s", null))
            .WithMount("bad", Map(("parent", SnapshotBuilder.Text("sha256:nothex"))))
            .WithMount("odd", Map(("parent", (RawFile)new RawFile.NotRegular("directory"))))
            .Build();
        snap = snap with { LayerDirs = snap.LayerDirs.Add(ChainID.Parse("sha256:" + new string('e', 64), MobyVersion.Default).IfLeft(_ => throw new InvalidOperationException()), new RawDirectory.Unreadable("x")) };
        Assert.Equal(Seq(a.Key, z.Key).OrderBy(k => k, StringComparer.Ordinal).ToSeq(), LayerStoreLoad.UnreadParentFolders(snap, MobyVersion.Default).Map(c => c.Digest.FolderKey));
    }

    [Fact]
    public void Parent_folder_of_each_kind_of_folder()
    {
        var v = MobyVersion.Default;
        var hex = new string('a', 64);
        RawDirectory Dir(RawFile parent) => new RawDirectory.Present(Seq1("parent"), HashMap(("parent", parent)));
        Assert.Equal(Some("sha256/" + hex), LayerStoreLoad.ParentFolderOf(Dir(SnapshotBuilder.Text(" sha256:" + hex + "\n")), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Some("sha512/" + hex + hex), LayerStoreLoad.ParentFolderOf(Dir(SnapshotBuilder.Text("sha512:" + hex + hex)), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Option<string>.None, LayerStoreLoad.ParentFolderOf(Dir(SnapshotBuilder.Text("sha256:" + hex.ToUpperInvariant())), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Some("sha256/" + hex.ToUpperInvariant()),
            LayerStoreLoad.ParentFolderOf(Dir(SnapshotBuilder.Text("sha256:" + hex.ToUpperInvariant())), MobyVersion.Parse("17.06").IfLeft(_ => v)).Map(c => c.Digest.FolderKey));
        Assert.Equal(Option<string>.None, LayerStoreLoad.ParentFolderOf(Dir(new RawFile.Unreadable("x")), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Option<string>.None, LayerStoreLoad.ParentFolderOf(new RawDirectory.Present(default, default), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Option<string>.None, LayerStoreLoad.ParentFolderOf(new RawDirectory.Unreadable("x"), v).Map(c => c.Digest.FolderKey));
        Assert.Equal(Option<string>.None, LayerStoreLoad.ParentFolderOf(new RawDirectory.Missing(), v).Map(c => c.Digest.FolderKey));
    }

    [Fact]
    public void Problems_sort_by_path_then_kind()
    {
        // One folder with a negative size and a chain mismatch: <folder> sorts before <folder>/size.
        var a = Layer("a"); var other = Layer("zz");
        var r = Load(SnapshotBuilder.Empty.WithLayer(a.Id, a.Files(("diff", other.Diff.ToString()), ("size", "-1"))));
        Assert.Equal(Seq((ProblemKind.ChainIdMismatch, a.Folder), (ProblemKind.SizeNegative, a.Folder + "/size")), r.Problems.Map(p => (p.Kind, p.Path)));
    }

    [Fact]
    public void An_unreadable_metadata_file_is_entry_unreadable_at_its_path()
    {
        var hex = Digest.Sha256Of("u"u8).Encoded;
        var snapshot = SnapshotBuilder.Empty.WithLayer("sha256:" + hex, Map(
            ("diff", SnapshotBuilder.Text("sha256:" + hex)), ("size", (RawFile)new RawFile.Unreadable("Permission denied")), ("cache-id", SnapshotBuilder.Text("c")))).Build();
        var load = LayerStoreLoad.Load(snapshot, MobyVersion.Default);
        var p = Assert.Single(load.Problems);
        Assert.Equal((ProblemKind.EntryUnreadable, $"image/overlay2/layerdb/sha256/{hex}/size"), (p.Kind, p.Path));
        Assert.Equal(new LayerError.FileUnreadable($"image/overlay2/layerdb/sha256/{hex}/size", ProblemKind.EntryUnreadable, "Permission denied"),
            p.Fact is Fact.LayerFolderFault f ? f.Error : null);
    }
}
