using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>The tar-split file of every loaded layer (layer-store.md §1.7).</summary>
internal static class TarSplitChecks
{
    private static Option<string> InvalidReason(Option<TarSplitState> state) => state.Bind(static s => s switch
    {
        TarSplitState.Invalid i => Some(i.Reason),
        TarSplitState.Unreadable u => Some("cannot be read: " + u.Reason),
        _ => Option<string>.None,
    });

    // §1.7: never read at load, but save and push rebuild the tar stream from it.
    internal static IEnumerable<Problem> Check(LayerDbRead layerDb, LayerStore store, RootSnapshot root)
    {
        foreach (var l in store.Layers)
        {
            // Matched, not enumerated: a foreach over an Option builds a sequence (three objects a layer).
            if (!layerDb.Layers.TryGetValue(l.ChainID, out var dir)) continue;
            string Path() => layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey + "/tar-split.json.gz";
            if (!dir.HasTarSplit)
                yield return new Problem(ProblemKind.TarSplitMissing, Severity.Error, Path(), l.ChainID, None, None,
                    new Fact.TarSplitMissing(l.ChainID));
            else if (InvalidReason(root.TarSplits.Find(l.ChainID)).TrySome(out var r))
                yield return new Problem(ProblemKind.TarSplitInvalid, Severity.Error, Path(), l.ChainID, None, None,
                    new Fact.TarSplitInvalid(l.ChainID, r));
        }
    }
}
