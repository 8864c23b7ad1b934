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
                yield return new Problem(ProblemKind.LayerDepthAtLimit, Severity.Warning, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID.ToString(), None, None,
                    $"depth {RootChecks.MaxLayerDepth}: moby's limit", "moby refuses to register any layer on top of it (builds and commits on this image fail)");
            else if (l.Depth == RootChecks.MaxLayerDepth + 1)
                yield return new Problem(ProblemKind.LayerDepthExceeded, Severity.Error, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID.ToString(), None, None,
                    $"depth {l.Depth}, over moby's limit of {RootChecks.MaxLayerDepth} ({Wording.Plural(over, "layer")} in all are deeper than the limit)",
                    "moby loads it, but overlay2 cannot mount more than 128 lower layers and nothing can be registered on it");
        }
    }
}
