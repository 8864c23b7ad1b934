using LanguageExt;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Root cause or symptom (report.md): a problem that another problem of the same report explains names it as its
/// <see cref="Problem.CausedBy"/>. A layer dropped because an ancestor fails (<c>ancestor_unloadable</c>), a mount whose
/// parent layer does not load (<c>mount_parent_unloadable</c>) and an image whose top layer does not load
/// (<c>image_layer_missing</c>) are symptoms of the problem that stopped the first failing layer of the chain (moby
/// <c>layer_store.go loadLayer</c> fails a layer with its parent's error). A cause is always a problem of the report with no
/// cause of its own; a problem whose cause is not in the report (a parent with no folder at all) is its own root cause.
/// </summary>
public static class RootCauses
{
    /// <summary>The problems with <see cref="Problem.CausedBy"/> set on every symptom, in the same order.</summary>
    /// <param name="problems">Every problem of a report.</param>
    /// <param name="store">The load those problems describe (its skipped layers, each with the problem that dropped it).</param>
    public static Seq<Problem> Link(Seq<Problem> problems, LayerStore store) => Link(problems, store, Empty);

    /// <summary>The problems with <see cref="Problem.CausedBy"/> set on every symptom, in the same order.</summary>
    /// <param name="problems">Every problem of a report.</param>
    /// <param name="store">The load those problems describe (its skipped layers, each with the problem that dropped it).</param>
    /// <param name="loadProblems">The load's own problems: a layer moby reaches only as a parent (not listed, so not among
    /// the skipped layers) fails with the first of them that names its chain ID.</param>
    public static Seq<Problem> Link(Seq<Problem> problems, LayerStore store, Seq<Problem> loadProblems)
    {
        var skipped = new Dictionary<ChainID, SkippedLayer>();
        foreach (var s in store.SkippedLayers) skipped.TryAdd(s.ChainID, s);
        foreach (var p in loadProblems)
            if (p.Kind != ProblemKind.AncestorUnloadable && p.ChainId.TrySome(out var failed))
                skipped.TryAdd(failed, new SkippedLayer(failed, p.Kind, p.Path));
        var firstFailing = new Dictionary<ChainID, ChainID>();
        foreach (var p in problems)
            if (p.Fact is Fact.AncestorUnloadable a)
            {
                firstFailing.TryAdd(a.Layer, a.Ancestor);
                skipped.TryAdd(a.Layer, new SkippedLayer(a.Layer, ProblemKind.AncestorUnloadable, p.Path));
            }
        var present = problems.Map(p => (p.Kind, p.Path)).ToHashSet();

        // The problem that stopped the first failing layer of the chain up from `chain`, if the report holds it.
        Option<ProblemCause> CauseOf(ChainID chain)
        {
            if (!skipped.TryGetValue(chain, out var skip)) return None;
            if (skip.Kind == ProblemKind.AncestorUnloadable
                && !(firstFailing.TryGetValue(chain, out var ancestor) && skipped.TryGetValue(ancestor, out skip))) return None;
            return skip.Kind != ProblemKind.AncestorUnloadable && present.Contains((skip.Kind, skip.Path))
                ? Some(new ProblemCause(skip.Kind, skip.Path))
                : None;
        }

        return problems.Map(p => (p.Fact switch
            {
                Fact.AncestorUnloadable a => CauseOf(a.Ancestor),
                Fact.MountParentUnloadable m when !m.FolderMissing => CauseOf(m.Parent),
                Fact.ImageTopLayerMissing i => i.Top.Bind(CauseOf),
                _ => None,
            }).Match(Some: cause => p with { CausedBy = cause }, None: () => p)).Strict();
    }
}
