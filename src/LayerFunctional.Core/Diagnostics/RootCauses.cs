using LanguageExt;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Root cause or symptom (report.md): a problem that another problem of the same report explains names it as its
/// <see cref="Problem.CausedBy"/>. A layer dropped because an ancestor fails (<c>ancestor_unloadable</c>), a mount whose
/// parent layer does not load (<c>mount_parent_unloadable</c>) and an image whose top layer does not load
/// (<c>image_layer_missing</c>) are symptoms of the problem that stopped the first failing layer of the chain (moby
/// <c>layer_store.go loadLayer</c> fails a layer with its parent's error). overlay2 <c>lower</c> entries are symptoms of the
/// missing folder or short link they go through (<see cref="LowerCauses"/>); a layerdb left alone because its driver's home
/// is gone or its driver was removed is a symptom of that <c>driver_home_missing</c> or <c>removed_driver_state</c>; a driver folder matched back to a layer that lost its
/// <c>cache-id</c>, or to a container that lost its mount folder (<see cref="LostOwners"/>), is a symptom of that loss. A cause is always a problem of the report with no
/// cause of its own; a problem whose cause is not in the report (a parent with no folder at all) is its own root cause.
/// </summary>
public static class RootCauses
{
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

        var lowerCauses = problems.Exists(p => p.Fact is Fact.LowerEntriesInvalid) ? new LowerCauses(problems, store) : null;
        var linked = problems.Map(p => (p.Fact switch
            {
                Fact.AncestorUnloadable a => CauseOf(a.Ancestor),
                Fact.MountParentUnloadable m when !m.FolderMissing => CauseOf(m.Parent),
                Fact.ImageTopLayerMissing i => i.Top.Bind(CauseOf),
                // A driver folder unregistered because its owner lost the file naming it: that file's finding.
                Fact.LayerFolderUnregistered f => problems.Find(c => c.Path == f.CacheIdFile && c.Kind is ProblemKind.CacheIdMissing or ProblemKind.CacheIdInvalid)
                    .Map(c => new ProblemCause(c.Kind, c.Path)),
                Fact.ContainerFolderUnregistered f => problems.Find(c => c.Kind == ProblemKind.ContainerWithoutMount && c.Path == "containers/" + f.Container)
                    .Map(c => new ProblemCause(c.Kind, c.Path)),
                // Every short link is missing while l/ itself is.
                Fact.LinkNamesUnknown => problems.Find(c => c is { Kind: ProblemKind.OverlayLinkFolderInvalid, Fact: Fact.LinkFolderInvalid { Missing: true } })
                    .Map(c => new ProblemCause(c.Kind, c.Path)),
                Fact.LowerEntriesInvalid l when lowerCauses is not null => lowerCauses.Of(p, l),
                // The migration stops at a layer whose own finding lies at the same path.
                Fact.MigrationStops m => problems.Find(c => c.Kind == m.Cause && c.Path == p.Path).Map(c => new ProblemCause(c.Kind, c.Path)),
                // A layerdb left alone because its driver's home is gone, or the release dropped its driver.
                Fact.LayerDbNotUsed { Why: not LayerDbIgnored.ByTheRules } u => problems
                    .Find(c => c.Path == u.Driver.Value && c.Kind == (u.Why == LayerDbIgnored.DriverHomeMissing ? ProblemKind.DriverHomeMissing : ProblemKind.RemovedDriverState))
                    .Map(c => new ProblemCause(c.Kind, c.Path)),
                _ => None,
            }).Match(Some: cause => p with { CausedBy = cause }, None: () => p)).Strict();
        return ToRoots(linked);
    }

    // A cause that is itself a symptom (a lower entry through a short link that is missing because l/ is) gives way to its own
    // cause, so that every caused_by names a root cause. Causes never loop: each link above points to a kind closer to the root.
    private static Seq<Problem> ToRoots(Seq<Problem> problems)
    {
        var causeOf = new Dictionary<(ProblemKind, string), ProblemCause>();
        foreach (var p in problems)
            if (p.CausedBy.TrySome(out var c)) causeOf.TryAdd((p.Kind, p.Path), c);
        if (causeOf.Count == 0) return problems;
        return problems.Map(p =>
        {
            if (!p.CausedBy.TrySome(out var cause)) return p;
            var root = cause;
            for (var hops = 0; hops < causeOf.Count && causeOf.TryGetValue((root.Kind, root.Path), out var next); hops++) root = next;
            return root == cause ? p : p with { CausedBy = root };
        }).Strict();
    }

    /// <summary>
    /// overlay2's <c>lower</c> entries (layer-store.md §6.6): an entry <c>l/&lt;name&gt;</c> that is broken because the folder
    /// its short link leads to is gone is a symptom of that folder's <c>cache_dir_missing</c>/<c>mount_dir_missing</c>/
    /// <c>init_dir_missing</c> (through a dangling link, the folder it names; through a link that went with its folder, the
    /// nearest missing folder below in the load); one that goes through an <c>l/</c> link reported missing or dangling (and
    /// whose folder is there) is a symptom of that link's finding. A lower file is a symptom when each broken entry has a
    /// cause; it names the first entry's. An entry such as <c>l/NOPE</c> that nothing explains leaves it a root cause.
    /// </summary>
    private sealed class LowerCauses
    {
        private static readonly ProblemKind[] FolderKinds = [ProblemKind.CacheDirMissing, ProblemKind.MountDirMissing, ProblemKind.InitDirMissing];
        private readonly Dictionary<string, Problem> missingFolders = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Problem> shortLinks = new(StringComparer.Ordinal);
        private readonly LayerStore store;
        private readonly Dictionary<string, (Option<string> Init, Option<ChainID> Top)> below;

        internal LowerCauses(Seq<Problem> problems, LayerStore store)
        {
            this.store = store;
            below = Repairs.BelowEachFolder(store);
            foreach (var p in problems)
                if (FolderKinds.Contains(p.Kind)) missingFolders.TryAdd(p.Path, p);
                else if (p.Kind is ProblemKind.OverlayLinkSymlinkMissing or ProblemKind.OverlaySymlinkDangling) shortLinks.TryAdd(p.Path, p);
        }

        internal Option<ProblemCause> Of(Problem p, Fact.LowerEntriesInvalid lower)
        {
            var driver = p.Path[..Math.Max(0, p.Path.IndexOf('/', StringComparison.Ordinal))];
            Option<ProblemCause> first = None;
            foreach (var entry in lower.Entries)
            {
                var cause = EntryCause(driver, p.CacheId, entry);
                if (cause.IsNone) return None;
                if (first.IsNone) first = cause;
            }
            return first;
        }

        private Option<ProblemCause> EntryCause(DriverName driver, Option<string> folder, string entry)
        {
            if (!entry.StartsWith("l/", StringComparison.Ordinal)) return None;
            if (shortLinks.TryGetValue(driver + "/" + entry, out var link))
            {
                if (link.Fact is Fact.ShortLinkDangling d && d.Target.StartsWith("../", StringComparison.Ordinal)
                    && missingFolders.TryGetValue(driver + "/" + d.Target[3..].Split('/')[0], out var gone))
                    return Cause(gone);
                return Cause(link);
            }
            return NearestMissingBelow(driver, folder).Map(Cause);
        }

        private Option<Problem> NearestMissingBelow(DriverName driver, Option<string> folder)
        {
            if (!folder.TrySome(out var id) || !below.TryGetValue(id, out var under)) return None;
            foreach (var init in under.Init)
                if (missingFolders.TryGetValue(driver + "/" + init, out var gone)) return gone;
            var graph = LayerGraph.Of(store);
            for (var at = under.Top.Bind(graph.IndexOf).IfNone(-1); at >= 0; at = graph.ParentOf(at))
                if (missingFolders.TryGetValue(driver + "/" + graph[at].CacheID.Value, out var gone)) return gone;
            return None;
        }

        private static ProblemCause Cause(Problem p) => new(p.Kind, p.Path);
    }
}
