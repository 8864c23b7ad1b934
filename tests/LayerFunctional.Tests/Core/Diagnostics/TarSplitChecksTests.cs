using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>The tar-split file of every loaded layer (layer-store.md §1.7): missing, invalid or unreadable, with exact problems.</summary>
public class TarSplitChecksTests : RootChecksFixture
{
    [Fact]
    public void Tar_split_problems_per_loaded_layer()
    {
        var (a, af) = Base("a", "ca", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (b, bf) = Base("b", "cb");
        var (c, cf) = Base("c", "cc", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (d, df) = Base("d", "cd", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (e, ef) = Base("e", "ce", ("tar-split.json.gz", new RawFile.NotRead(10)));
        var (bad, badf) = Base("bad", "cbad");
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).WithLayer(b.ToString(), bf).WithLayer(c.ToString(), cf)
            .WithLayer(d.ToString(), df).WithLayer(e.ToString(), ef).WithLayer(bad.ToString(), badf.AddOrUpdate("size", T("x"))).Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            TarSplits = HashMap(
                (a, (TarSplitState)new TarSplitState.Valid(3, 2560)),
                (c, (TarSplitState)new TarSplitState.Invalid("line 2: not JSON")),
                (d, (TarSplitState)new TarSplitState.Unreadable("gzip: invalid header"))),
        };
        string Path(ChainID x) => Db + "/" + x.Digest.FolderKey + "/tar-split.json.gz";
        var expected = Seq(
            Found(ProblemKind.TarSplitMissing, Severity.Error, Path(b), new Fact.TarSplitMissing(b), chain: b),
            Found(ProblemKind.TarSplitInvalid, Severity.Error, Path(c), new Fact.TarSplitInvalid(c, "line 2: not JSON"), chain: c),
            Found(ProblemKind.TarSplitInvalid, Severity.Error, Path(d), new Fact.TarSplitInvalid(d, "cannot be read: gzip: invalid header"), chain: d));
        Assert.Equal(expected.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            Run(snap, root).Problems.Filter(p => p.Kind is ProblemKind.TarSplitMissing or ProblemKind.TarSplitInvalid).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        // e has a file but no verdict (not checked): nothing to say about it.
        Assert.DoesNotContain(Run(snap, root).Problems, p => p.Path == Path(e));
    }

    [Fact]
    public void A_loaded_layer_whose_folder_the_layerdb_read_does_not_hold_is_not_judged()
    {
        var (a, af) = Base("a", "ca");
        var read = LayerDbRead.Of(SnapshotBuilder.Empty.WithLayer(a.ToString(), af).Build(), MobyVersion.Default);
        var store = LayerStoreLoad.Load(read).Store;
        Assert.Single(store.Layers);
        var withoutFolders = LayerDbRead.Of(SnapshotBuilder.Empty.Build(), MobyVersion.Default);
        Assert.Empty(TarSplitChecks.Check(withoutFolders, store, RootSnapshot.Empty("overlay2")));
        Assert.Equal(ProblemKind.TarSplitMissing, Assert.Single(TarSplitChecks.Check(read, store, RootSnapshot.Empty("overlay2"))).Kind);
    }
}
