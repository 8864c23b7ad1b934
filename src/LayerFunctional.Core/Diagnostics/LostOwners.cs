using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Driver folders whose owner lost the file that named them, matched back to that owner from what the rest of the root
/// still tells: unregistered but recoverable, never orphans (layer-store.md §6.6; the issue "a clean-up plan that is safe
/// by construction"). overlay2 only: its <c>lower</c> files and <c>l/</c> short links are the evidence (moby
/// <c>daemon/graphdriver/overlay2/overlay.go</c> <c>create</c> writes a folder's <c>lower</c> as the short links of the
/// folders below it, nearest first). Computed once per check; the driver-folder checks report from it and the repair plan
/// writes from it.
/// </summary>
/// <param name="Layers">Driver folder name → the layer whose <c>cache-id</c> is missing or blank and whose content the folder
/// is, placed there by every <c>lower</c> file of a folder above it that agrees with the rest of its chain.</param>
/// <param name="Containers">Driver folder name (its read-write folder and its init folder) → the container whose mount
/// folder is gone and whose folders they are: the only pair on the top layer of its image, no other such container on it.</param>
internal sealed record LostOwners(
    IReadOnlyDictionary<string, LostOwners.LayerOwner> Layers,
    IReadOnlyDictionary<string, LostOwners.ContainerOwner> Containers)
{
    /// <summary>A layer folder whose <c>cache-id</c> is lost, and the <c>lower</c> file (relative to the root; the first by
    /// path when several) that places its driver folder.</summary>
    internal sealed record LayerOwner(ChainID Layer, string LowerFile);

    /// <summary>A container without its mount folder (<c>containers/&lt;id&gt;</c>), the top layer of its image, and its
    /// read-write and init folders.</summary>
    internal sealed record ContainerOwner(MountName Container, ChainID Top, string ReadWrite, string Init);

    /// <summary>Nothing matched (drivers other than overlay2, or nothing lost).</summary>
    internal static LostOwners None { get; } = new(new Dictionary<string, LayerOwner>(), new Dictionary<string, ContainerOwner>());

    private const string InitSuffix = DriverFolderChecks.InitSuffix;

    /// <summary>Matches lost owners to folders.</summary>
    /// <param name="layout">The chosen driver's layout (only one with short links is matched).</param>
    /// <param name="layerDb">The layerdb as read.</param>
    /// <param name="store">Its load.</param>
    /// <param name="home">The driver home as read.</param>
    /// <param name="folders">The names in the driver home.</param>
    /// <param name="referenced">The driver IDs the layerdb names (<see cref="DriverFolderChecks.ReferencedIds"/>).</param>
    /// <param name="images">The image configs as checked (each image's top layer).</param>
    /// <param name="restore">The container restore (<c>container_without_mount</c> findings, each container's image).</param>
    /// <param name="containerFolders">The container folders as read (one whose config cannot be read and that has no mount
    /// folder may own any folder).</param>
    internal static LostOwners Find(DriverLayout layout, LayerDbRead layerDb, LayerStore store, DriverHomeSnapshot home,
        System.Collections.Generic.HashSet<string> folders, System.Collections.Generic.HashSet<string> referenced,
        Seq<ImageInfo> images, ContainerRestoreResult restore, Seq<ContainerFolderRead> containerFolders)
    {
        if (!layout.HasShortLinks) return None;
        var layers = LayerFolders(layerDb, home, folders, referenced);
        var unreadContainers = containerFolders.Exists(c => c.Read is not ContainerConfigRead.Fields && layerDb.MountFolder(c.Id).IsNone);
        var containers = ContainerFolders(layerDb, layout, store, home, folders, referenced, layers, images, restore, unreadContainers);
        return new LostOwners(layers, containers);
    }

    /// <summary>The folder the short link <c>l/&lt;name&gt;</c> leads to, when it exists and is <c>../&lt;folder&gt;/diff</c>.</summary>
    internal static Option<string> FolderOfLink(DriverHomeSnapshot home, string name) =>
        home.ShortLinks.Find(name).Filter(static l => l.TargetExists).Bind(static l => l.DiffFolder);

    /// <summary>A folder's short name as a <c>lower</c> file may use it: the name in its <c>link</c> file, when
    /// <c>l/&lt;name&gt;</c> leads back to the folder's <c>diff</c>.</summary>
    internal static Option<string> VerifiedLinkOf(DriverHomeSnapshot home, string folder) =>
        home.Overlay.Find(folder).Bind(f => f.Link)
            .Filter(name => home.ShortLinks.Find(name).Exists(l => l.TargetExists && l.IsDiffOf(folder)));

    // Layers whose cache-id is lost: a lower file above names their folder at the place of the layer in its chain. A lower
    // file is trusted only when every other place of it leads to the folder the chain's cache-id names and its length is
    // the chain's; every trusted lower must agree, and a folder is given to one layer only.
    private static Dictionary<string, LayerOwner> LayerFolders(LayerDbRead layerDb, DriverHomeSnapshot home,
        System.Collections.Generic.HashSet<string> folders, System.Collections.Generic.HashSet<string> referenced)
    {
        var matched = new Dictionary<string, LayerOwner>(StringComparer.Ordinal);
        var lost = layerDb.Layers.Filter(DriverFolderChecks.CacheIdLost).Keys.ToHashSet();
        if (lost.Count == 0) return matched;
        var placed = new Dictionary<ChainID, SortedDictionary<string, string>>();   // layer → folder → first lower file
        void Walk(Option<ChainID> below, string[] names, string lowerFile)
        {
            var found = new List<(ChainID, string)>();
            var seen = new System.Collections.Generic.HashSet<ChainID>();
            var i = 0;
            for (var at = below; at.TrySome(out var chain); at = layerDb.Layers.Find(chain).Bind(l => l.ParentLink), i++)
            {
                if (i >= names.Length || !seen.Add(chain) || !layerDb.Layers.Find(chain).TrySome(out var layer)) return;
                var folder = FolderOfLink(home, names[i]);
                if (lost.Contains(chain))
                {
                    if (!folder.TrySome(out var f)) return;
                    found.Add((chain, f));
                }
                else if (!layer.CacheIdText.TrySome(out var cache) || folder != Some(cache)) return;
            }
            if (i != names.Length) return;
            foreach (var (chain, f) in found)
            {
                if (!placed.TryGetValue(chain, out var at)) placed[chain] = at = new SortedDictionary<string, string>(StringComparer.Ordinal);
                if (!at.TryGetValue(f, out var first) || string.CompareOrdinal(lowerFile, first) < 0) at[f] = lowerFile;
            }
        }
        foreach (var (_, layer) in layerDb.Layers)
            if (layer.CacheIdText.TrySome(out var cache) && LowerNames(home, cache).TrySome(out var names))
                Walk(layer.ParentLink, names, home.Driver + "/" + cache + "/lower");
        foreach (var (_, mount) in layerDb.MountFolders)
            if (mount.InitIdText.TrySome(out var init) && LowerNames(home, init).TrySome(out var names))
                Walk(mount.ParentLink, names, home.Driver + "/" + init + "/lower");
        var claims = placed.Values.Where(p => p.Count == 1).Select(p => p.Keys.First()).GroupBy(f => f, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (chain, at) in placed)
            if (at.Count == 1 && at.First() is var (folder, lowerFile) && claims[folder] == 1 && folders.Contains(folder) && !referenced.Contains(folder))
                matched[folder] = new LayerOwner(chain, lowerFile);
        return matched;
    }

    private static Option<string[]> LowerNames(DriverHomeSnapshot home, string folder) =>
        home.Overlay.Find(folder).Bind(static f => f.LowerShortLinks);

    // Containers whose mount folder is gone: overlay2 made the init folder's lower start with the short link of the image's top
    // layer (moby layer_store.go initMount, overlay2 create), and the read-write folder's with the init folder's. A container
    // whose image's top layer leads to exactly one such pair no file names, which leads back to no other such container, owns it.
    private static Dictionary<string, ContainerOwner> ContainerFolders(LayerDbRead layerDb, DriverLayout layout, LayerStore store,
        DriverHomeSnapshot home, System.Collections.Generic.HashSet<string> folders, System.Collections.Generic.HashSet<string> referenced,
        Dictionary<string, LayerOwner> layers, Seq<ImageInfo> images, ContainerRestoreResult restore, bool unreadContainers)
    {
        var matched = new Dictionary<string, ContainerOwner>(StringComparer.Ordinal);
        var mountless = restore.Problems.Where(p => p.Kind == ProblemKind.ContainerWithoutMount).Choose(p => p.Mount)
            .Order().ToList();
        if (mountless.Count == 0) return matched;
        // Another claimant nothing on disk can place makes every match a guess: a container whose config cannot be read and
        // that has no mount folder, or a mount folder with neither ID file.
        if (unreadContainers || layerDb.MountFolders.Any(static m => !m.Value.IsPresent || !m.Value.NamesAFolder))
            return matched;
        var namedByOtherId = DriverFolderChecks.NamedByOtherId(layerDb);
        bool Unnamed(string name) => folders.Contains(name) && !referenced.Contains(name) && !namedByOtherId.ContainsKey(name) && !layers.ContainsKey(name);
        Option<string> FirstLower(string folder) => LowerNames(home, folder).Filter(static n => n.Length > 0).Map(static n => n[0]);
        var pairs = folders.Where(n => n.Length > InitSuffix.Length && n.EndsWith(InitSuffix, StringComparison.Ordinal)
                && Unnamed(n) && Unnamed(n[..^InitSuffix.Length]))
            .Where(init => VerifiedLinkOf(home, init).Exists(link => FirstLower(init[..^InitSuffix.Length]) == Some(link)))
            .Choose(init => FirstLower(init).Map(below => (Below: below, Init: init)))
            .ToList();
        // A folder nothing names that may be a container's and cannot be placed (an init folder outside a placed pair, or a
        // folder whose lower starts with an init folder's link or with a link that leads nowhere: a read-write folder whose
        // init folder or link is gone) may be any mountless container's: then no match is safe. A folder on a layer's
        // folder, or with no lower, is a layer's (removed or lost).
        var placed = pairs.SelectMany(p => new[] { p.Init, p.Init[..^InitSuffix.Length] }).ToHashSet(StringComparer.Ordinal);
        bool MayBeAContainers(string name) =>
            name.EndsWith(InitSuffix, StringComparison.Ordinal)
            || FirstLower(name).Exists(link => FolderOfLink(home, link).Match(Some: f => f.EndsWith(InitSuffix, StringComparison.Ordinal), None: () => true));
        if (folders.Any(n => Unnamed(n) && !placed.Contains(n) && MayBeAContainers(n)))
            return matched;
        var containers = restore.Containers.ToDictionary(c => c.Id, c => c);
        var topLink = new Dictionary<MountName, Option<(ChainID Top, string Link)>>();
        foreach (var id in mountless)
            topLink[id] = Optional(containers.GetValueOrDefault(id)).Bind(c => c.Image)
                .Bind(image => images.Find(i => i.Id == image)).Bind(i => i.TopChainId)
                .Bind(top => store.Layers.Find(l => l.ChainID == top))
                .Bind(l => VerifiedLinkOf(home, l.CacheID.Value).Map(link => (l.ChainID, link)));
        foreach (var id in mountless)
        {
            if (!topLink[id].TrySome(out var top)) continue;
            var mine = pairs.Where(p => p.Below == top.Link).ToList();
            var rivals = topLink.Values.Count(t => t.Exists(o => o.Link == top.Link));
            if (mine.Count != 1 || rivals != 1) continue;
            var owner = new ContainerOwner(id, top.Top, mine[0].Init[..^InitSuffix.Length], mine[0].Init);
            matched[owner.ReadWrite] = owner;
            matched[owner.Init] = owner;
        }
        return matched;
    }
}
