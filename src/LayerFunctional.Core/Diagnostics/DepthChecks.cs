using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>moby's <c>maxLayerDepth</c> (layer-store.md §4.8).</summary>
internal static class DepthChecks
{
    // §4.8: maxLayerDepth applies at register time only, so deep chains load, but nothing can be built on them.
    internal static IEnumerable<Problem> Check(LayerDbRead layerDb, LayerStore store)
    {
        var over = store.Layers.Count(l => l.Depth > RootChecks.MaxLayerDepth);
        foreach (var l in store.Layers)
        {
            if (l.Depth == RootChecks.MaxLayerDepth)
                yield return new Problem(ProblemKind.LayerDepthAtLimit, Severity.Warning, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID, None, None,
                    new Fact.DepthAtLimit(RootChecks.MaxLayerDepth));
            else if (l.Depth == RootChecks.MaxLayerDepth + 1)
                yield return new Problem(ProblemKind.LayerDepthExceeded, Severity.Error, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID, None, None,
                    new Fact.DepthExceeded(l.Depth, RootChecks.MaxLayerDepth, over));
        }
    }
}
