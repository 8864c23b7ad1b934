using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>moby's maxLayerDepth (layer-store.md §4.8) applies at register time only: deep chains load, and the layer at the
/// limit and the first one over it get exact depth problems.</summary>
public class DepthChecksTests
{
    private const string Db = "image/overlay2/layerdb";

    private static (LayerDbSnapshot Snap, List<ChainID> Chains) Chain(int depth)
    {
        var b = SnapshotBuilder.Empty;
        Option<ChainID> parent = None;
        var chains = new List<ChainID>();
        for (var i = 0; i < depth; i++)
        {
            var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes("depth" + i)));
            var chain = ChainID.Compute(parent, diff);
            var files = Map(("diff", SnapshotBuilder.Text(diff.ToString())), ("size", SnapshotBuilder.Text("1")), ("cache-id", SnapshotBuilder.Text("c" + i)));
            b = b.WithLayer(chain.ToString(), parent.Match(p => files.Add("parent", SnapshotBuilder.Text(p.ToString())), () => files));
            chains.Add(chain);
            parent = Some(chain);
        }
        return (b.Build(), chains);
    }

    private static Seq<Problem> DepthProblems(LayerDbSnapshot snap) =>
        RootChecks.Run(MobyVersion.Default, "overlay2", snap, LayerStoreLoad.Load(snap, MobyVersion.Default), RootSnapshot.Empty("overlay2"))
            .Problems.Filter(p => p.Kind is ProblemKind.LayerDepthAtLimit or ProblemKind.LayerDepthExceeded);

    private static Problem AtLimit(ChainID c) => new(ProblemKind.LayerDepthAtLimit, Severity.Warning, Db + "/" + c.Digest.FolderKey, Some(c), None, None,
        new Fact.DepthAtLimit(125));

    private static Problem Over(ChainID c, int deeper) => new(ProblemKind.LayerDepthExceeded, Severity.Error, Db + "/" + c.Digest.FolderKey, Some(c), None, None,
        new Fact.DepthExceeded(126, 125, deeper));

    [Fact]
    public void Depth_124_is_fine() => Assert.Empty(DepthProblems(Chain(124).Snap));

    [Fact]
    public void Depth_125_is_at_the_limit()
    {
        var (snap, chains) = Chain(125);
        Assert.Equal(Seq1(AtLimit(chains[124])), DepthProblems(snap));
    }

    [Fact]
    public void Only_the_first_layer_over_the_limit_is_named_with_the_count_of_all()
    {
        var (snap, chains) = Chain(126);
        Assert.Equal(Seq(AtLimit(chains[124]), Over(chains[125], 1)).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            DepthProblems(snap).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        var (deeper, deep) = Chain(128);
        Assert.Equal(Seq(AtLimit(deep[124]), Over(deep[125], 3)).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            DepthProblems(deeper).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());
        Assert.Equal(125, RootChecks.MaxLayerDepth);
    }

    [Fact]
    public void Depth_125_is_at_the_limit_and_126_exceeds_it()
    {
        var b = SnapshotBuilder.Empty;
        Option<ChainID> parent = None;
        var chains = new List<ChainID>();
        for (var i = 0; i < 127; i++)
        {
            var diff = DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes("d" + i)));
            var chain = ChainID.Compute(parent, diff);
            var files = Map(("diff", SnapshotBuilder.Text(diff.ToString())), ("size", SnapshotBuilder.Text("1")), ("cache-id", SnapshotBuilder.Text("c" + i)));
            b = b.WithLayer(chain.ToString(), parent.Match(p => files.Add("parent", SnapshotBuilder.Text(p.ToString())), () => files));
            chains.Add(chain);
            parent = Some(chain);
        }
        var snapshot = b.Build();
        var load = LayerStoreLoad.Load(snapshot, MobyVersion.Default);
        Assert.Equal(127, load.Store.Layers.Count);   // moby loads chains of any depth
        var checks = RootChecks.Run(MobyVersion.Default, "overlay2", snapshot, load, RootSnapshot.Empty("overlay2"));
        var depth = checks.Problems.Filter(p => p.Kind is ProblemKind.LayerDepthAtLimit or ProblemKind.LayerDepthExceeded)
            .Map(p => (p.Kind, p.ChainId.Map(c => c.ToString()).IfNone(""))).OrderBy(p => p.Item1).ToSeq();
        Assert.Equal(Seq((ProblemKind.LayerDepthAtLimit, chains[124].ToString()), (ProblemKind.LayerDepthExceeded, chains[125].ToString())), depth);
        Assert.Equal(Some<Fact>(new Fact.DepthExceeded(126, 125, 2)), checks.Problems.Find(p => p.Kind == ProblemKind.LayerDepthExceeded).Map(p => p.Fact));
    }
}
