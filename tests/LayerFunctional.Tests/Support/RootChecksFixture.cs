using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Support;

/// <summary>
/// Small layerdbs and roots for the tests of the check families (RootChecks.Run and what it calls): valid base layers, the
/// driver store (three layers, one mount) with its driver home, and the image and container store (a loads; b has a bad size;
/// c sits on b).
/// </summary>
public abstract class RootChecksFixture
{
    protected const string Db = "image/overlay2/layerdb";
    protected const string ImageDb = "image/overlay2/imagedb/content/sha256/";
    protected static readonly MobyVersion V29 = MobyVersion.Default;

    protected static MobyVersion V(string v) => MobyVersion.Parse(v).IfLeft(e => throw new ArgumentException(e));

    protected static string Hex(string seed) => Digest.Sha256Of(Encoding.ASCII.GetBytes(seed)).Encoded;

    protected static RawFile T(string s) => SnapshotBuilder.Text(s);

    /// <summary>A valid base layer whose diff is sha256(name) and cache-id is the given one.</summary>
    protected static (ChainID Chain, Map<string, RawFile> Files) Base(string name, string cache, params (string, RawFile)[] extra)
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var files = Map(("diff", T(diff.ToString())), ("size", T("1")), ("cache-id", T(cache)));
        foreach (var (n, f) in extra) files = files.AddOrUpdate(n, f);
        return (ChainID.Compute(None, diff), files);
    }

    protected static RawDirectory.Present Dir(params (string Name, RawFile File)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files));

    protected static DirectoryListing Listed(params string[] names) =>
        new DirectoryListing.Listed(names.Select(n => new DirectoryEntry(n, EntryType.Directory)).ToSeq());

    protected static RootCheckResult Run(LayerDbSnapshot snap, RootSnapshot root, MobyVersion? v = null, string driver = "overlay2") =>
        RootChecks.Run(v ?? V29, driver, snap, LayerStoreLoad.Load(snap, v ?? V29), root);

    protected static Problem Found(ProblemKind kind, Severity severity, string path, Fact fact,
        ChainID? chain = null, string? mount = null, string? cache = null) =>
        new(kind, severity, path, Optional(chain), Optional(mount).Map(static m => new MountName(m)), Optional(cache), fact);

    protected static readonly string CacheA = Hex("cache-a");
    protected static readonly string CacheB = Hex("cache-b");
    protected static readonly string MountId = Hex("mount");

    protected static (LayerDbSnapshot Snap, ChainID A, ChainID B, ChainID C) DriverStore()
    {
        var (a, af) = Base("a", CacheA);
        var (b, bf) = Base("b", CacheB);
        var (c, cf) = Base("c", "../../etc");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).WithLayer(b.ToString(), bf).WithLayer(c.ToString(), cf)
            .WithMount("m", Map(("mount-id", T(MountId)), ("init-id", T(MountId + "-init")), ("parent", T(a.ToString()))))
            .Build();
        return (snap, a, b, c);
    }

    /// <summary>An overlay2 folder as the reader makes it from its link and lower files' text, with the names of l/.</summary>
    protected static OverlayFolder Overlay(Option<string> link, Option<string> lower, params string[] shortLinkNames) =>
        OverlayFolder.Of(link.Map(System.Text.Encoding.UTF8.GetBytes), lower.Map(System.Text.Encoding.UTF8.GetBytes), new ShortLinkNames(shortLinkNames));

    protected static DriverHomeSnapshot Home(string[] names, HashMap<string, OverlayFolder> overlay = default, HashMap<string, OverlayShortLink> links = default) =>
        new("overlay2", Listed(names), HashMap(("", Listed(names))), overlay, links);

    // A config.v2.json moby restores: its folder's ID, a Config object, then the given fields.
    protected static string Cfg(string id, string fields) => "{\"ID\":\"" + id + "\",\"Config\":{}," + fields + "}";

    protected static (ChainID Chain, DiffID Diff, Map<string, RawFile> Files) Layer(string name, ChainID? parent = null, string size = "1")
    {
        var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(name)));
        var p = parent is null ? Option<ChainID>.None : Some(parent);
        var files = Map(("diff", T(diff.ToString())), ("size", T(size)), ("cache-id", T(CacheOf(name))));
        if (parent is not null) files = files.Add("parent", T(parent.ToString()));
        return (ChainID.Compute(p, diff), diff, files);
    }

    // 64 hex, so that releases before 18.06 load it too.
    protected static string CacheOf(string name) => Digest.Sha256Of(Encoding.ASCII.GetBytes("c-" + name)).Encoded;

    protected static ImageConfigFile Image(params DiffID[] diffs)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"rootfs\":{{\"diff_ids\":[{string.Join(",", diffs.Select(d => $"\"{d}\""))}]}}}}");
        return new ImageConfigFile(Digest.Sha256Of(bytes).Encoded, new RawFile.Content(bytes));
    }

    protected static ContainerFolderRead Container(string id, string json) => ContainerFolderRead.Of(new(id, Some(T(json))));

    protected sealed record Store(LayerDbSnapshot Snap, ChainID A, ChainID B, ChainID C, DiffID DA, DiffID DB, DiffID DC);

    /// <summary>a loads; b has a bad size; c sits on b. Mount m on c, mount n on a, mount o on b.</summary>
    protected static Store Build()
    {
        var a = Layer("a");
        var b = Layer("b", size: "x");
        var c = Layer("c", b.Chain);
        var snap = SnapshotBuilder.Empty.WithLayer(a.Chain.ToString(), a.Files).WithLayer(b.Chain.ToString(), b.Files).WithLayer(c.Chain.ToString(), c.Files)
            .WithMount("m", Map(("mount-id", T(new string('1', 64))), ("parent", T(c.Chain.ToString()))))
            .WithMount("n", Map(("mount-id", T(new string('2', 64))), ("parent", T(a.Chain.ToString()))))
            .WithMount("o", Map(("mount-id", T(new string('3', 64))), ("parent", T(b.Chain.ToString()))))
            .Build();
        return new Store(snap, a.Chain, b.Chain, c.Chain, a.Diff, b.Diff, c.Diff);
    }
}
