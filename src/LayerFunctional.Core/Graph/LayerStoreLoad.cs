using LanguageExt;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Graph;

/// <summary>
/// moby's layer-store load (<c>newStoreFromGraphDriver</c>: <c>List</c>, <c>loadLayer</c> per listed ChainID,
/// reference counting, <c>loadMount</c> per mount; layer-store.md §3, §4, §7) as a pure function of a
/// <see cref="LayerDbSnapshot"/>. It follows moby's result exactly, but walks parent chains with a loop
/// instead of recursion (a 100,000-deep chain does not overflow) and stops at parent cycles, which
/// moby follows until the daemon crashes.
/// </summary>
public static class LayerStoreLoad
{
    /// <summary>
    /// Folders that parent links (of listed layers, of folders already read, and of mounts) name but
    /// the snapshot does not hold yet. The shell reads them and adds them to
    /// <see cref="LayerDbSnapshot.LayerDirs"/> (as <see cref="RawDirectory.Missing"/> when absent), then follows
    /// each newly read folder's own link with <see cref="ParentFolderOf"/>.
    /// </summary>
    /// <param name="snapshot">The snapshot so far.</param>
    /// <param name="version">Rule set (digest case).</param>
    /// <returns>The chain IDs of those folders (folder <c>&lt;algorithm&gt;/&lt;hex&gt;</c>), in ordinal order of their text, without duplicates.</returns>
    public static Seq<ChainID> UnreadParentFolders(LayerDbSnapshot snapshot, MobyVersion version) =>
        UnreadParentFolders(LayerDbRead.Of(snapshot, version));

    /// <summary>As <see cref="UnreadParentFolders(LayerDbSnapshot, MobyVersion)"/>, for a layerdb parsed as it was read.</summary>
    /// <param name="read">The layerdb so far.</param>
    public static Seq<ChainID> UnreadParentFolders(LayerDbRead read)
    {
        var wanted = new System.Collections.Generic.HashSet<ChainID>();
        foreach (var parent in read.Layers.Values.Choose(l => l.ParentLink).Concat(read.MountFolders.Choose(m => m.Value.ParentLink)))
            if (!read.Layers.ContainsKey(parent)) wanted.Add(parent);
        return wanted.OrderBy(k => k, ChainID.Ordinal).ToSeq().Strict();
    }

    /// <summary>The chain ID (so the folder <c>&lt;algorithm&gt;/&lt;hex&gt;</c>) that a layer or mount folder's <c>parent</c> file
    /// names, if it has one that parses. Lets the shell follow parent links one newly read folder at a time.</summary>
    /// <param name="dir">A folder as read.</param>
    /// <param name="version">Rule set (digest case).</param>
    public static Option<ChainID> ParentFolderOf(RawDirectory dir, MobyVersion version) =>
        dir is RawDirectory.Present p ? LayerFolderRead.ParentOf(p, version) : None;

    /// <summary>The ChainIDs that moby's <c>List</c> returns: real folders under <c>sha256/</c>, not named
    /// <c>mounts</c>, whose <c>sha256:&lt;name&gt;</c> passes digest validation; sorted ordinal.</summary>
    /// <param name="listing">The listing of <c>sha256/</c>.</param>
    /// <param name="version">Rule set (upper-case hex before 18.04).</param>
    public static Seq<ChainID> ListedLayers(DirectoryListing listing, MobyVersion version) =>
        LayerDbRead.SplitListing(listing, version).Listed;

    /// <summary>The chain ID of an entry of <c>sha256/</c> when moby's listing returns it: a real folder whose name is a
    /// valid digest's hex (not <c>mounts</c>); None otherwise.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="version">Rule set (digest case).</param>
    public static Option<ChainID> ListedLayer(DirectoryEntry entry, MobyVersion version) =>
        entry.Type != EntryType.Directory || entry.Name == "mounts" ? None
        : Digest.TryCanonicalHex(entry.Name, out var digest) ? ChainID.FromDigest(digest)
        : ChainID.Parse("sha256:" + entry.Name, version).ToOption();

    /// <summary>The mount names that moby's <c>List</c> returns: every real folder under <c>mounts/</c>,
    /// unvalidated; sorted ordinal.</summary>
    /// <param name="listing">The listing of <c>mounts/</c>.</param>
    public static Seq<MountName> ListedMounts(DirectoryListing listing) =>
        listing switch
        {
            DirectoryListing.Listed l => l.Entries.Filter(e => e.Type == EntryType.Directory).Map(e => new MountName(e.Name))
                .OrderBy(n => n).ToSeq().Strict(),
            _ => Empty,
        };

    /// <summary>
    /// Loads a layerdb snapshot as moby's daemon does at start-up.
    /// </summary>
    /// <param name="snapshot">Everything read from the layerdb.</param>
    /// <param name="version">The moby release whose rules apply.</param>
    /// <returns>The outcome, the store and the problems (sorted by path, then kind).</returns>
    public static LoadResult Load(LayerDbSnapshot snapshot, MobyVersion version) => Load(LayerDbRead.Of(snapshot, version));

    /// <summary>Loads a layerdb parsed as it was read, under the rules it was parsed with.</summary>
    /// <param name="snapshot">The layerdb.</param>
    /// <returns>The outcome, the store and the problems (sorted by path, then kind).</returns>
    public static LoadResult Load(LayerDbRead snapshot)
    {
        var abort = Seq(
            (Listing: snapshot.Sha256, Path: snapshot.RelativePath + "/sha256"),
            (Listing: snapshot.Mounts, Path: snapshot.RelativePath + "/mounts"))
            .Choose(x => x.Listing switch
            {
                DirectoryListing.Failed f => Some(new Problem(ProblemKind.LayerdbUnreadable, Severity.Error, x.Path, None, None, None,
                    new Fact.LayerDbUnlistable(f.Reason))),
                _ => None,
            })
            .Strict();
        if (!abort.IsEmpty) return new LoadResult(StoreOutcome.Aborted, LayerStore.Empty, abort);
        return new Loader(snapshot).Run();
    }

    private sealed class Loader(LayerDbRead snapshot)
    {
        private readonly MobyVersion version = snapshot.Version;

        // Lookup only (by binary search; no copy of 100,000 entries): the snapshot's map order never reaches the result.
        private readonly ChainMap<LayerFolderRead> layerDirs = snapshot.Layers;

        // Sized once: a 100,000-layer store would otherwise build each of these maps several times over while it grows.
        private readonly int layerCount = snapshot.Layers.Count;

        private enum Cause { Own, FolderMissing, ParentMissing, Ancestor, Cycle }

        private sealed record Resolution(
            Option<LayerFolder> Loaded, int Depth, Cause Cause, Option<LayerError> Error, ChainID RootKey, Seq<ChainID> CycleKeys);

        private readonly System.Collections.Generic.Dictionary<ChainID, Resolution> memo = new(snapshot.Layers.Count);
        private readonly System.Collections.Generic.Dictionary<ChainID, LayerFolder> parsedFolders = new(snapshot.Layers.Count);

        private string FolderPath(ChainID key) => snapshot.RelativePath + "/" + key.Digest.FolderKey;

        public LoadResult Run()
        {
            var listed = snapshot.ListedLayers;
            var listedKeys = new System.Collections.Generic.HashSet<ChainID>(listed);
            foreach (var id in listed) Resolve(id);

            var refCounts = new System.Collections.Generic.Dictionary<ChainID, int>(layerCount);
            void Reference(ChainID parent) =>
                refCounts[parent] = refCounts.GetValueOrDefault(parent) + 1;
            foreach (var id in listed)
                if (memo[id].Loaded.TrySome(out var loadedFolder) && loadedFolder.Parent.TrySome(out var parent)) Reference(parent);

            // Mounts (§7.1): parse, then load the parent chain; a failure drops the mount, no count changes.
            var mounts = new List<Mount>();
            var skippedMounts = new List<SkippedMount>();
            var problems = new List<Problem>();
            var mountFailuresByRoot = new System.Collections.Generic.Dictionary<ChainID, int>();
            foreach (var name in ListedMounts(snapshot.Mounts))
            {
                var folder = snapshot.RelativePath + "/mounts/" + name.Value;
                var parsed = snapshot.MountFolder(name).Match(
                    Some: static m => m.Parsed,
                    None: () => MountFolderRead.NotRead(folder, "vanished while reading").Parsed);
                parsed.Match(
                    Left: e =>
                    {
                        skippedMounts.Add(new SkippedMount(name, e.Kind, e.Path));
                        problems.Add(new Problem(e.Kind, Severity.Error, e.Path, None, name, None, new Fact.MountFolderFault(e)));
                    },
                    Right: m => m.Parent.Match(
                        None: () => mounts.Add(new Mount(name, m.MountID, m.InitID, None)),
                        Some: parent =>
                        {
                            var r = Resolve(parent);
                            if (r.Loaded.IsSome)
                            {
                                Reference(parent);
                                mounts.Add(new Mount(name, m.MountID, m.InitID, Some(parent)));
                                return;
                            }
                            var path = folder + "/parent";
                            skippedMounts.Add(new SkippedMount(name, ProblemKind.MountParentUnloadable, path));
                            var rootKey = r.RootKey;   // a missing folder's root key is its own key
                            mountFailuresByRoot[rootKey] = mountFailuresByRoot.GetValueOrDefault(rootKey) + 1;
                            problems.Add(new Problem(ProblemKind.MountParentUnloadable, Severity.Error, path, Some(parent), name, None,
                                new Fact.MountParentUnloadable(parent, r.Cause == Cause.FolderMissing)));
                        }));
            }

            // Every folder that was reached and failed names its own problem; root causes count what they drop.
            var descendantsByRoot = memo.Values
                .Where(r => r.Loaded.IsNone && r.Cause is Cause.Ancestor)
                .GroupBy(r => r.RootKey)
                .ToDictionary(g => g.Key, g => g.Count());
            var skippedLayers = new List<SkippedLayer>();
            foreach (var (key, r) in memo)
            {
                if (r.Loaded.IsSome || r.Cause == Cause.FolderMissing) continue;
                var problem = LayerProblem(key, r, descendantsByRoot.GetValueOrDefault(key), mountFailuresByRoot.GetValueOrDefault(key));
                problems.Add(problem);
                if (listedKeys.Contains(key))
                    skippedLayers.Add(new SkippedLayer(key, problem.Kind, problem.Path));
            }

            var layers = new List<Layer>(layerCount);
            foreach (var (key, r) in memo)
            {
                if (!r.Loaded.TrySome(out var f)) continue;
                layers.Add(new Layer(f, refCounts.GetValueOrDefault(key), r.Depth, listedKeys.Contains(key)));
                problems.AddRange(LoadedLayerChecks(f));
            }

            var crashes = memo.Values.Any(r => r.Loaded.IsNone && r.Cause == Cause.Cycle);
            return new LoadResult(
                crashes ? StoreOutcome.Crashes : StoreOutcome.Loaded,
                new LayerStore(
                    layers.OrderBy(l => l.ChainID, ChainID.Ordinal).ToSeq().Strict(),
                    skippedLayers.OrderBy(l => l.ChainID, ChainID.Ordinal).ToSeq().Strict(),
                    mounts.OrderBy(m => m.Name).ToSeq().Strict(),
                    skippedMounts.OrderBy(m => m.Name).ToSeq().Strict()),
                problems.OrderBy(p => p, Comparer<Problem>.Create(Problem.Compare)).ToSeq().Strict());
        }

        private Problem LayerProblem(ChainID chain, Resolution r, int descendants, int mounts)
        {
            var folder = FolderPath(chain);
            var parent = parsedFolders.TryGetValue(chain, out var pf) ? pf.Parent : None;
            var problem = r.Cause switch
            {
                Cause.Own => r.Error.Map(e => new Problem(e.Kind, Severity.Error, e.Path, chain, None, None, new Fact.LayerFolderFault(chain, e)))
                    .IfNone(() => throw new InvalidOperationException("unreachable")),
                Cause.ParentMissing => new Problem(ProblemKind.ParentLayerMissing, Severity.Error, folder + "/parent", chain, None, None,
                    new Fact.ParentFolderMissing(chain, parent)),
                Cause.Cycle => new Problem(ProblemKind.ParentCycle, Severity.Error, folder + "/parent", chain, None, None,
                    new Fact.ParentCycle(chain, r.CycleKeys)),
                _ => new Problem(ProblemKind.AncestorUnloadable, Severity.Error, folder + "/parent", chain, None, None,
                    new Fact.AncestorUnloadable(chain, r.RootKey)),
            };
            return descendants == 0 && mounts == 0 ? problem : problem with { Cascade = new Cascade(descendants, mounts) };
        }

        private Seq<Problem> LoadedLayerChecks(LayerFolder f)
        {
            if (f.Size >= 0 && ChainID.Matches(f.Parent, f.DiffID, f.ChainID)) return Empty;   // the usual case, without allocation
            var checks = new List<Problem>();
            if (f.Size < 0)
                checks.Add(new Problem(ProblemKind.SizeNegative, Severity.Warning, FolderPath(f.ChainID) + "/size", f.ChainID, None, None,
                    new Fact.SizeNegative(f.Size)));
            var computed = ChainID.Compute(f.Parent, f.DiffID);
            if (computed != f.ChainID)
                checks.Add(new Problem(ProblemKind.ChainIdMismatch, Severity.Error, FolderPath(f.ChainID), f.ChainID, None, None,
                    new Fact.ChainIdMismatch(f.Parent, f.DiffID, computed)));
            return checks.ToSeq().Strict();
        }

        /// <summary>moby's recursive <c>loadLayer</c>, as a loop: walk up to a known result, a base layer,
        /// a failure or a cycle, then settle the walked folders from the top down.</summary>
        /// <remarks>Written without pattern variables in conditions, so that a mutation tool can negate any
        /// condition without breaking definite assignment.</remarks>
        // The walk's scratch space, emptied by each Resolve (not re-entrant: Visit never resolves).
        private readonly List<(ChainID Key, LayerFolder Folder)> walkPath = [];
        private readonly System.Collections.Generic.Dictionary<ChainID, int> walkOnPath = new();

        private Resolution Resolve(ChainID startKey)
        {
            var path = walkPath;
            var onPath = walkOnPath;
            path.Clear();
            onPath.Clear();
            var key = startKey;
            Resolution top;
            while (!memo.TryGetValue(key, out top!) && !CloseCycle(key, onPath.GetValueOrDefault(key, -1), path).TrySome(out top)
                   && !Visit(key).TrySome(out top))
            {
                var folder = parsedFolders[key];
                onPath[key] = path.Count;
                path.Add((key, folder));
                key = folder.Parent.IfNone(key);
            }
            for (var i = path.Count - 1; i >= 0; i--)
            {
                var (childKey, child) = path[i];
                top = memo[childKey] = top.Loaded.IsSome
                    ? new Resolution(Some(child), top.Depth + 1, Cause.Own, None, childKey, Empty)
                    : top.Cause == Cause.FolderMissing
                        ? new Resolution(None, 0, Cause.ParentMissing, None, childKey, Empty)
                        : new Resolution(None, 0, Cause.Ancestor, None, top.RootKey, Empty);
            }
            return memo[startKey];
        }

        /// <summary>When <paramref name="key"/> is already on the walked path (at <paramref name="at"/>), every
        /// folder from there on is a cycle member; they are settled and removed from the path.</summary>
        private Option<Resolution> CloseCycle(ChainID key, int at, List<(ChainID Key, LayerFolder Folder)> path)
        {
            if (at < 0) return None;
            var cycle = path.Skip(at).Select(x => x.Key).ToSeq().Strict();
            foreach (var member in cycle)
                memo[member] = new Resolution(None, 0, Cause.Cycle, None, member, cycle);
            path.RemoveRange(at, path.Count - at);
            return memo[key];
        }

        /// <summary>Reads one folder's own files, as <c>loadLayer</c> does before it recurses. Returns the
        /// settled result for a missing folder, a failure or a base layer; None when the walk goes on to the parent.</summary>
        private Option<Resolution> Visit(ChainID key)
        {
            if (!layerDirs.TryGetValue(key, out var dir)) return memo[key] = FolderMissing(key);
            // Matched step by step: no closure per folder.
            if (!dir.Parsed.TryRight(out var folder, out var error))
                return memo[key] = error is LayerError.FolderMissing
                    ? FolderMissing(key)
                    : new Resolution(None, 0, Cause.Own, Some(error), key, Empty);
            parsedFolders[key] = folder;
            if (folder.Parent.IsNone) return memo[key] = new Resolution(Some(folder), 1, Cause.Own, None, key, Empty);
            return None;
        }

        private static Resolution FolderMissing(ChainID key) => new(None, 0, Cause.FolderMissing, None, key, Empty);
    }
}
