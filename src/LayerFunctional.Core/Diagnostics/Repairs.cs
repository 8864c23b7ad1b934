using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// The repair plan's actions (issue "a repair plan"): what can be rebuilt from what is on disk, for the findings of one
/// check. overlay2's <c>link</c> files from the <c>l/</c> link that leads to their folder, missing <c>l/</c> links from the
/// <c>link</c> file that names them, <c>lower</c> files from the loaded parent chain (moby
/// <c>daemon/graphdriver/overlay2/overlay.go</c> <c>create</c>/<c>getLower</c>: <c>l/&lt;parent link&gt;</c> then the
/// parent's own lower, nearest first), a mount's missing or damaged <c>mount-id</c>/<c>init-id</c> from its other ID
/// (<c>layer/layer_store.go initMount</c> names the init folder <c>&lt;mount ID&gt;-init</c>), a container's lost mount
/// folder from the only pair of folders on its image's top layer, a layer's lost <c>cache-id</c> from the <c>lower</c> files above it,
/// <c>parent</c> files from the chain ID they must hash to,
/// and the removal of empty layer folders, leftovers and uncommitted transactions. Pure: from the snapshot, the load and the problems.
/// </summary>
internal static class Repairs
{
    /// <summary>The actions for one check, in the order a plan runs them (<see cref="RepairAction.Compare"/>).</summary>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDb">The layerdb that was loaded.</param>
    /// <param name="store">Its load.</param>
    /// <param name="root">The rest of the root as read.</param>
    /// <param name="problems">The check's problems (load and checks).</param>
    /// <param name="cleanup">The clean-up items (leftovers and transactions are removed with the driver folders only they name).</param>
    /// <param name="owners">Folders matched back to an owner that lost the file naming them.</param>
    internal static Seq<RepairAction> Plan(DriverName driver, LayerDbRead layerDb, LayerStore store, RootSnapshot root,
        IReadOnlyCollection<Problem> problems, Seq<CleanupItem> cleanup, LostOwners owners)
    {
        var layout = DriverLayout.For(driver);
        var actions = new List<RepairAction>();
        if (layout.HasShortLinks)
        {
            actions.AddRange(OverlayLinks(layout, store, root.DriverHome, problems));
        }
        actions.AddRange(Reregistrations(layerDb, layout, owners));
        foreach (var p in problems)
            if (p is { Kind: ProblemKind.UnregisteredDriverDir, Fact: Fact.UnregisteredFolder f } && p.Mount.TrySome(out var mount)
                && p.CacheId.TrySome(out var folder))
            {
                var mountFolder = layerDb.RelativePath + "/mounts/" + mount;
                var step = f.NamedBy.EndsWith("/init-id", StringComparison.Ordinal) ? RepairStep.WriteMountId : RepairStep.WriteInitId;
                actions.Add(new RepairAction(step, mountFolder + (step == RepairStep.WriteMountId ? "/mount-id" : "/init-id"), folder, p.Kind, p.Path)
                    { Requires = Some(layout.FolderOf(folder)) });
            }
            else if (p.Kind == ProblemKind.LayerDirEmpty)
                actions.Add(new RepairAction(RepairStep.RemoveEmptyFolder, p.Path, "", p.Kind, p.Path));
        actions.AddRange(ParentFiles(layerDb, problems));
        foreach (var c in cleanup.Filter(c => c.Reason is ProblemKind.RemovalLeftover or ProblemKind.StaleTransaction))
            actions.Add(new RepairAction(RepairStep.RemoveLeftover, c.Path, "", c.Reason, c.Leftover.IfNone(c.Path)));
        actions.Sort(RepairAction.Compare);
        return actions.ToSeq().Strict();
    }

    private static IEnumerable<RepairAction> OverlayLinks(DriverLayout layout, LayerStore store, DriverHomeSnapshot home, IReadOnlyCollection<Problem> problems)
    {
        var driver = layout.Driver;
        // Only these findings lead to a step here: without one, the maps below (one entry per folder and link) are not built.
        if (!problems.Any(static p => p.Kind is ProblemKind.OverlayLinkFolderInvalid or ProblemKind.OverlayLinkFileEmpty
                or ProblemKind.OverlayLinkSymlinkMissing or ProblemKind.OverlayLowerEntryInvalid))
            yield break;
        // The first l/ link (by name) that leads to each folder's diff/.
        var linkTo = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in home.ShortLinks)
            if (LostOwners.FolderOfLink(home, name).TrySome(out var folder)) linkTo.TryAdd(folder, name);
        // Each folder's short name as a lower file may use it: its link file's when l/ has that link to the folder, or the one
        // an action below restores or recreates. Anything else (a name with '/', a link elsewhere) is never written into a lower.
        var linkOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, _) in home.Overlay)
            if (LostOwners.VerifiedLinkOf(home, id).TrySome(out var name)) linkOf[id] = name;
        foreach (var p in problems.Where(p => p is { Kind: ProblemKind.OverlayLinkFolderInvalid, Fact: Fact.LinkFolderInvalid { Missing: true } }))
            yield return new RepairAction(RepairStep.CreateLinkFolder, p.Path, "", p.Kind, p.Path);
        var taken = new System.Collections.Generic.HashSet<string>(home.ShortLinks.Select(l => l.Key), StringComparer.Ordinal);
        var folders = new System.Collections.Generic.HashSet<string>(home.Overlay.Select(o => o.Key), StringComparer.Ordinal);

        foreach (var p in problems.Where(p => p.Kind == ProblemKind.OverlayLinkFileEmpty))
        {
            if (!p.CacheId.TrySome(out var id)) continue;
            if (!linkTo.TryGetValue(id, out var name))
            {
                name = FreshShortName(id, taken);
                taken.Add(name);
                yield return new RepairAction(RepairStep.CreateShortLink, $"{driver}/l/{name}", $"../{id}/diff", p.Kind, p.Path)
                    { Requires = Some(layout.ContentOf(id)) };
            }
            linkOf[id] = name;
            yield return new RepairAction(RepairStep.WriteLinkFile, p.Path, name, p.Kind, p.Path) { Requires = Some(layout.ContentOf(id)) };
        }
        // A link file's name becomes a link under l/ only when it is a short name a lower file can carry.
        foreach (var p in problems.Where(p => p.Kind == ProblemKind.OverlayLinkSymlinkMissing))
            if (p.CacheId.TrySome(out var id) && p.Fact is Fact.LinkNamesUnknown f && IsShortLinkName(f.Name) && taken.Add(f.Name))
            {
                linkOf[id] = f.Name;
                yield return new RepairAction(RepairStep.CreateShortLink, p.Path, $"../{id}/diff", p.Kind, p.Path) { Requires = Some(layout.ContentOf(id)) };
            }
        var lowerProblems = problems.Where(p => p.Kind == ProblemKind.OverlayLowerEntryInvalid).ToList();
        if (lowerProblems.Count == 0) yield break;
        var below = BelowEachFolder(store);
        foreach (var p in lowerProblems)
        {
            if (!p.CacheId.TrySome(out var id) || !below.TryGetValue(id, out var under)) continue;
            // overlay2 writes no lower file for a folder with nothing below it (a base layer).
            if (under.Init.IsNone && under.Top.IsNone)
                yield return new RepairAction(RepairStep.RemoveLowerFile, p.Path, "", p.Kind, p.Path);
            else if (LowerOf(under, store, folders, linkOf).TrySome(out var lower))
                yield return new RepairAction(RepairStep.WriteLowerFile, p.Path, lower, p.Kind, p.Path);
        }
    }

    /// <summary>Folders matched back to an owner that lost the file naming them (<see cref="LostOwners"/>). A layer whose
    /// <c>cache-id</c> is missing or blank gets the folder the <c>lower</c> files above it place there. A container whose mount
    /// folder is gone gets it again: <c>mount-id</c> its read-write folder X, <c>init-id</c> X-init, <c>parent</c> the top
    /// layer of its image (what moby <c>layer_store.go initMount</c> wrote).</summary>
    private static IEnumerable<RepairAction> Reregistrations(LayerDbRead layerDb, DriverLayout layout, LostOwners owners)
    {
        foreach (var (folder, owner) in owners.Layers.OrderBy(o => o.Key, StringComparer.Ordinal))
            yield return new RepairAction(RepairStep.WriteCacheId, layerDb.FolderOf(owner.Layer) + "/cache-id", folder, ProblemKind.UnregisteredDriverDir,
                layout.FolderOf(folder)) { Requires = Some(layout.FolderOf(folder)) };
        foreach (var c in owners.Containers.Values.Distinct().OrderBy(c => c.Container))
        {
            var folder = layerDb.RelativePath + "/mounts/" + c.Container;
            var path = "containers/" + c.Container;
            yield return new RepairAction(RepairStep.CreateMountFolder, folder, "", ProblemKind.ContainerWithoutMount, path) { Requires = Some(layout.FolderOf(c.ReadWrite)) };
            yield return new RepairAction(RepairStep.WriteMountId, folder + "/mount-id", c.ReadWrite, ProblemKind.UnregisteredDriverDir, layout.FolderOf(c.ReadWrite))
                { Requires = Some(layout.FolderOf(c.ReadWrite)) };
            yield return new RepairAction(RepairStep.WriteInitId, folder + "/init-id", c.Init, ProblemKind.UnregisteredDriverDir, layout.FolderOf(c.Init))
                { Requires = Some(layout.FolderOf(c.Init)) };
            yield return new RepairAction(RepairStep.WriteMountParent, folder + "/parent", c.Top.ToString(), ProblemKind.ContainerWithoutMount, path)
                { Requires = Some(layerDb.FolderOf(c.Top)) };
        }
    }

    /// <summary>The most chain-ID hashes a plan computes to find true parents (about a second on one core): past it, the
    /// remaining parent findings are left to the report.</summary>
    internal const int ParentSearchBudget = 2_000_000;

    /// <summary>A layer whose <c>parent</c> file names itself or a layer of its cycle (<c>parent_cycle</c>), a chain ID with no
    /// folder (<c>parent_layer_missing</c>), or a layer that does not make its chain ID (<c>chain_id_mismatch</c>), while the
    /// rest of its folder parses: its true parent is the layer folder whose chain ID, hashed with this layer's diff ID, gives
    /// this layer's chain ID (moby <c>layer.CreateChainID</c>; a SHA-256 match is no accident), or none when its diff ID alone
    /// gives it. Nothing is written when no folder matches (then the diff ID may be what is wrong).</summary>
    private static IEnumerable<RepairAction> ParentFiles(LayerDbRead layerDb, IReadOnlyCollection<Problem> problems)
    {
        var broken = problems.Where(p => p.Kind is ProblemKind.ParentCycle or ProblemKind.ParentLayerMissing or ProblemKind.ChainIdMismatch)
            .SelectMany(p => p.ChainId.Bind(c => layerDb.Layers.Find(c)).Bind(l => l.Parsed.ToOption()).Map(f => (Problem: p, Folder: f)))
            .ToList();
        if (broken.Count == 0) yield break;
        var candidates = layerDb.Layers.Filter(l => l.Parsed.IsRight).Keys.OrderBy(c => c, ChainID.Ordinal).ToList();
        var budget = ParentSearchBudget;
        foreach (var (p, folder) in broken)
        {
            var file = layerDb.FolderOf(folder.ChainID) + "/parent";
            if (ChainID.Compute(None, folder.DiffID) == folder.ChainID)
            {
                if (folder.Parent.IsSome) yield return new RepairAction(RepairStep.RemoveParentFile, file, "", p.Kind, p.Path);
                continue;
            }
            if ((budget -= candidates.Count) < 0) yield break;
            var parent = candidates.Find(c => c != folder.ChainID && ChainID.Matches(Some(c), folder.DiffID, folder.ChainID));
            if (parent is not null && folder.Parent != Some(parent))
                yield return new RepairAction(RepairStep.WriteParentFile, file, parent.ToString(), p.Kind, p.Path)
                    { Requires = Some(layerDb.FolderOf(parent)) };
        }
    }

    /// <summary>What sits directly below each driver folder of the load: a layer's folder has its parent layer; a mount's
    /// read-write folder its init folder (if any), then the image's top layer; an init folder the top layer.</summary>
    internal static Dictionary<string, (Option<string> Init, Option<ChainID> Top)> BelowEachFolder(LayerStore store)
    {
        var below = new Dictionary<string, (Option<string>, Option<ChainID>)>(StringComparer.Ordinal);
        foreach (var l in store.Layers) below.TryAdd(l.CacheID.Value, (None, l.Parent));
        foreach (var m in store.Mounts)
        {
            below.TryAdd(m.MountID.Value, (m.InitID.Map(i => i.Value), m.Parent));
            if (m.InitID.TrySome(out var init)) below.TryAdd(init.Value, (None, m.Parent));
        }
        return below;
    }

    /// <summary>The <c>lower</c> text overlay2 writes for a folder: the short names of the folders below it, nearest first. None
    /// when the folder is no loaded layer's, mount's or init layer's, when it has nothing below it, or when a folder below
    /// it is missing or has no known short name (that finding is repaired first, or not at all).</summary>
    /// <param name="under">What sits directly below the folder (<see cref="BelowEachFolder"/>).</param>
    /// <param name="store">The load.</param>
    /// <param name="folders">The driver home's folder names.</param>
    /// <param name="linkOf">Each folder's short name.</param>
    internal static Option<string> LowerOf((Option<string> Init, Option<ChainID> Top) under, LayerStore store,
        System.Collections.Generic.HashSet<string> folders, IReadOnlyDictionary<string, string> linkOf)
    {
        var graph = LayerGraph.Of(store);
        var below = new List<string>(under.Init);
        for (var at = under.Top.Bind(graph.IndexOf).IfNone(-1); at >= 0; at = graph.ParentOf(at)) below.Add(graph[at].CacheID.Value);
        if (below.Count == 0 || below.Exists(b => !folders.Contains(b) || !linkOf.ContainsKey(b))) return None;
        return string.Join(':', below.Select(b => "l/" + linkOf[b]));
    }

    /// <summary>Whether a name can be an <c>l/</c> link a <c>lower</c> file names: POSIX portable file-name characters (letters,
    /// digits, <c>.</c>, <c>_</c>, <c>-</c>; overlay2 makes 26 of A–Z and 2–7), at most 255, not <c>.</c> or <c>..</c>. Nothing else
    /// (a <c>:</c> splits a lower entry, a <c>/</c> leaves <c>l/</c>, a newline ends a line) is ever created.</summary>
    /// <param name="name">A name from a link file.</param>
    internal static bool IsShortLinkName(string name) =>
        name.Length is > 0 and <= 255 && name is not ("." or "..")
        && name.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-');

    /// <summary>A short name for a folder that has none: 26 characters of base32 (A–Z, 2–7), as overlay2's
    /// <c>generateID</c> makes them, derived from the folder name (deterministic) and not taken in <c>l/</c>.</summary>
    internal static string FreshShortName(string id, IReadOnlySet<string> taken)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (var n = 0; ; n++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"layerfn short link {n} {id}"));
            var sb = new StringBuilder(26);
            for (var i = 0; i < 26; i++) sb.Append(alphabet[hash[i] & 31]);
            var name = sb.ToString();
            if (!taken.Contains(name)) return name;
        }
    }
}
