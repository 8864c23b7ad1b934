using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Graph;

/// <summary>The loaded layers as an int-indexed forest: parents, children sorted by chain ID, ancestry, descendants.</summary>
public class LayerGraphTests
{
    private static DiffID Diff(int n) => DiffID.Parse("sha256:" + n.ToString("x64"), MobyVersion.Default).IfLeft(e => throw new InvalidOperationException(e));

    private static Layer Layer(int n, Option<Layer> parent) =>
        new(new LayerFunctional.Parsing.LayerFolder(ChainID.Compute(parent.Map(p => p.ChainID), Diff(n)), Diff(n), n,
            CacheID.Parse("c" + n, MobyVersion.Default).IfLeft(e => throw new InvalidOperationException(e)),
            parent.Map(p => p.ChainID), LayerDescriptor.Empty), 0, parent.Map(p => p.Depth + 1).IfNone(1), true);

    // base1 ── mid ── {top1, top2}      base2 (alone)
    private static readonly Layer Base1 = Layer(1, None);
    private static readonly Layer Mid = Layer(2, Base1);
    private static readonly Layer Top1 = Layer(3, Mid);
    private static readonly Layer Top2 = Layer(4, Mid);
    private static readonly Layer Base2 = Layer(5, None);
    // A new store for each use: a graph is cached per store, and a test must see the graph its own code builds.
    private static LayerStore Store => new(Seq(Top2, Base1, Top1, Base2, Mid), default, default, default);

    private static int At(LayerGraph g, Layer l) => g.IndexOf(l.ChainID).IfNone(() => throw new InvalidOperationException());

    [Fact]
    public void Indexes_follow_the_store_and_parents_point_to_loaded_layers()
    {
        var g = LayerGraph.Of(Store);
        Assert.Equal(5, g.Count);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, new[] { Top2, Base1, Top1, Base2, Mid }.Select(l => At(g, l)));
        Assert.Equal(Top1, g[2]);
        Assert.Equal(At(g, Mid), g.ParentOf(At(g, Top1)));
        Assert.Equal(-1, g.ParentOf(At(g, Base1)));
        Assert.Equal(new[] { At(g, Base1), At(g, Base2) }, g.Roots.ToArray());
        Assert.True(g.IndexOf(Layer(9, None).ChainID).IsNone);
    }

    [Fact]
    public void Children_are_ordered_by_chain_id_as_text()
    {
        var g = LayerGraph.Of(Store);
        var expected = new[] { Top1, Top2 }.OrderBy(l => l.ChainID.ToString(), StringComparer.Ordinal).Select(l => At(g, l));
        Assert.Equal(expected, g.ChildrenOf(At(g, Mid)).ToArray());
        Assert.Equal(new[] { At(g, Mid) }, g.ChildrenOf(At(g, Base1)).ToArray());
        Assert.Empty(g.ChildrenOf(At(g, Base2)).ToArray());
    }

    [Fact]
    public void Ancestry_and_descendants()
    {
        var g = LayerGraph.Of(Store);
        Assert.True(g.IsAncestorOrSelf(At(g, Base1), At(g, Top2)));
        Assert.True(g.IsAncestorOrSelf(At(g, Mid), At(g, Mid)));
        Assert.False(g.IsAncestorOrSelf(At(g, Top1), At(g, Mid)));
        Assert.False(g.IsAncestorOrSelf(At(g, Top1), At(g, Top2)));
        Assert.False(g.IsAncestorOrSelf(At(g, Base2), At(g, Top1)));
        Assert.Equal(new[] { Mid, Top1, Top2 }.Select(l => At(g, l)).Order(), g.DescendantsAndSelf(At(g, Mid)).Order());
        Assert.Equal(new[] { At(g, Base2) }, g.DescendantsAndSelf(At(g, Base2)));
    }

    [Fact]
    public void A_parent_that_did_not_load_makes_a_root_and_the_graph_is_built_once_per_store()
    {
        var orphaned = new LayerStore(Seq1(Top1), default, default, default);
        var g = LayerGraph.Of(orphaned);
        var store = Store;
        Assert.Equal(-1, g.ParentOf(0));
        Assert.Equal(new[] { 0 }, g.Roots.ToArray());
        Assert.Same(g, LayerGraph.Of(orphaned));
        Assert.Same(LayerGraph.Of(store), LayerGraph.Of(store));
        Assert.NotSame(g, LayerGraph.Of(store));
    }

    [Fact]
    public void Children_stored_against_chain_id_order_are_sorted_and_a_parent_at_index_0_has_its_children()
    {
        var (first, second) = string.CompareOrdinal(Top1.ChainID.ToString(), Top2.ChainID.ToString()) < 0 ? (Top1, Top2) : (Top2, Top1);
        var g = LayerGraph.Of(new LayerStore(Seq(Mid, second, Base1, first), default, default, default));
        Assert.Equal(new[] { 3, 1 }, g.ChildrenOf(0).ToArray());
        Assert.Equal(new[] { 0 }, g.ChildrenOf(2).ToArray());
        Assert.Equal(0, g.ParentOf(1));
        Assert.Equal(0, g.ParentOf(3));
        Assert.Equal(new[] { 2 }, g.Roots.ToArray());
        Assert.Equal(new[] { 0, 1, 2, 3 }, g.DescendantsAndSelf(2).Order());
    }
}
