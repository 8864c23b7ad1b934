using System.Runtime.CompilerServices;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Graph;

/// <summary>
/// The loaded layers of a <see cref="LayerStore"/> as a forest over int indexes: layer <c>i</c> is
/// <c>store.Layers[i]</c>; its parent, children and depth are arrays, so walks up (ancestry) and down
/// (descendants) cost no lookups by text. Built once per store by <see cref="Of"/> and shared by every consumer
/// (the human report's tree, content usage, <c>which</c>, <c>mount-command</c>). A parent link to a layer that did
/// not load makes the child a root here, as in moby's loaded store, which never holds such a pair.
/// </summary>
public sealed class LayerGraph
{
    private static readonly ConditionalWeakTable<LayerStore, LayerGraph> Built = new();

    private readonly Seq<Layer> layers;
    private readonly Dictionary<ChainID, int> index;
    private readonly int[] parent;
    private readonly int[] childStart;
    private readonly int[] children;
    private readonly int[] roots;

    private LayerGraph(Seq<Layer> layers)
    {
        this.layers = layers;
        var n = layers.Count;
        index = new Dictionary<ChainID, int>(n);
        var i = 0;
        foreach (var l in layers) index[l.ChainID] = i++;
        parent = new int[n];
        var childCount = new int[n + 1];
        var rootList = new List<int>();
        i = 0;
        foreach (var l in layers)
        {
            parent[i] = l.Parent.Bind(p => index.TryGetValue(p, out var at) ? Some(at) : None).IfNone(-1);
            if (parent[i] < 0) rootList.Add(i);
            else childCount[parent[i]]++;
            i++;
        }
        roots = [.. rootList];
        // Children in one array, a slice per layer (compressed rows), each slice sorted by chain ID.
        childStart = new int[n + 1];
        for (var k = 0; k < n; k++) childStart[k + 1] = childStart[k] + childCount[k];
        children = new int[childStart[n]];
        var fill = new int[n];
        for (var k = 0; k < n; k++)
            if (parent[k] >= 0) children[childStart[parent[k]] + fill[parent[k]]++] = k;
        var byChainID = Comparer<int>.Create((a, b) => ChainID.Ordinal.Compare(this.layers[a].ChainID, this.layers[b].ChainID));
        for (var k = 0; k < n; k++)
            if (childCount[k] > 1) System.Array.Sort(children, childStart[k], childCount[k], byChainID);
    }

    /// <summary>The graph of <paramref name="store"/>'s loaded layers, built on first use and then shared.</summary>
    /// <param name="store">A loaded store (its layers form a forest: the loader never loads a cycle).</param>
    public static LayerGraph Of(LayerStore store) => Built.GetValue(store, static s => new LayerGraph(s.Layers));

    /// <summary>Number of loaded layers.</summary>
    public int Count => parent.Length;

    /// <summary>Layer <paramref name="i"/> (0 ≤ i &lt; <see cref="Count"/>), in the store's order.</summary>
    public Layer this[int i] => layers[i];

    /// <summary>The index of the loaded layer <paramref name="chainID"/>; None when it did not load.</summary>
    public Option<int> IndexOf(ChainID chainID) => index.TryGetValue(chainID, out var i) ? Some(i) : None;

    /// <summary>The index of layer <paramref name="i"/>'s parent; -1 for a base layer.</summary>
    public int ParentOf(int i) => parent[i];

    /// <summary>Layer <paramref name="i"/>'s children, ordered by chain ID (ordinal, as text).</summary>
    public ReadOnlySpan<int> ChildrenOf(int i) => children.AsSpan(childStart[i], childStart[i + 1] - childStart[i]);

    /// <summary>Base layers, in the store's order.</summary>
    public ReadOnlySpan<int> Roots => roots;

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="layer"/> or one of its ancestors.</summary>
    public bool IsAncestorOrSelf(int ancestor, int layer)
    {
        // Depth bounds the walk: an ancestor is never deeper than its descendant.
        var depth = layers[ancestor].Depth;
        for (var at = layer; at >= 0 && layers[at].Depth >= depth; at = parent[at])
            if (at == ancestor) return true;
        return false;
    }

    /// <summary>Layer <paramref name="i"/> and every layer above it (its descendants), as a set of indexes.</summary>
    public System.Collections.Generic.HashSet<int> DescendantsAndSelf(int i)
    {
        var found = new System.Collections.Generic.HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(i);
        while (stack.Count > 0)
        {
            var at = stack.Pop();
            found.Add(at);   // a forest: no layer is reached twice
            foreach (var child in ChildrenOf(at)) stack.Push(child);
        }
        return found;
    }
}
