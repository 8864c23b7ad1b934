using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>The graph driver's folders against the IDs the layerdb names (layer-store.md §6.6): missing cache, mount
/// and init folders, orphans.</summary>
internal static class DriverFolderChecks
{
    // §6.6: the driver's folders against the IDs the layerdb names.
    /// <summary>The driver-folder findings, the orphans the clean-up plan may remove, and the folders matched back to an
    /// owner that lost the file naming them (<see cref="LostOwners"/>: unregistered, for the repair plan).</summary>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDb">The layerdb as read.</param>
    /// <param name="store">Its load.</param>
    /// <param name="root">The rest of the root as read.</param>
    /// <param name="images">The image configs as checked.</param>
    /// <param name="restore">The container restore.</param>
    internal static (IEnumerable<Problem> Problems, Seq<string> Orphans, LostOwners Owners) Check(DriverName driver, LayerDbRead layerDb, LayerStore store,
        RootSnapshot root, Seq<ImageInfo> images, ContainerRestoreResult restore)
    {
        var layout = DriverLayout.For(driver);
        var home = root.DriverHome;
        var problems = new List<Problem>();
        var hasMetadata = !store.Layers.IsEmpty || !store.Mounts.IsEmpty || !store.SkippedLayers.IsEmpty || !store.SkippedMounts.IsEmpty;
        var homeEmpty = home.Home switch { DirectoryListing.Listed h => h.Entries.IsEmpty, _ => true };
        if (homeEmpty)
        {
            if (hasMetadata && layout.Decidable)
                problems.Add(new Problem(ProblemKind.DriverHomeMissing, Severity.Error, driver.Value, None, None, None,
                    new Fact.DriverHomeMissing(Empty: home.Home is DirectoryListing.Listed, layerDb.RelativePath, store.Layers.Count, store.Mounts.Count)));
            return (problems, Empty, LostOwners.None);
        }
        if (!layout.Decidable) return (problems, Empty, LostOwners.None);

        var names = layout.IdFolders.Map(sub => (sub, Names: home.IdFolders.Find(sub).Map(l => l switch
            {
                DirectoryListing.Listed ls => NamesOf(ls),
                _ => new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal),
            })
            .IfNone(() => new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal))));
        var main = names.Head.Names;
        bool Exists(string id) => main.Contains(layout.EntryNameOf(id));

        // moby takes any non-empty cache-id from 18.06 on; one that cannot name a single folder (a '/', a NUL, '.' or
        // '..', over 255 bytes) makes the driver look outside its home or fail: the layer's content is not where it should be.
        foreach (var l in store.Layers.Filter(l => !IsPlainName(l.CacheID.Value)))
            problems.Add(new Problem(ProblemKind.CacheDirMissing, Severity.Error, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey + "/cache-id",
                l.ChainID, None, l.CacheID.Value,
                new Fact.CacheIdNotAFolderName(l.ChainID, driver)));
        foreach (var l in store.Layers.Filter(l => IsPlainName(l.CacheID.Value)))
            if (!Exists(l.CacheID.Value))
                problems.Add(new Problem(ProblemKind.CacheDirMissing, Severity.Error, layout.FolderOf(l.CacheID.Value), l.ChainID, None, l.CacheID.Value,
                    new Fact.CacheFolderMissing(l.ChainID, driver)));
        foreach (var m in store.Mounts)
        {
            if (!Exists(m.MountID.Value))
                problems.Add(new Problem(ProblemKind.MountDirMissing, Severity.Error, layout.FolderOf(m.MountID.Value), None, m.Name, m.MountID.Value,
                    new Fact.MountFolderMissing(driver)));
            if (m.InitID.TrySome(out var init))
                if (!Exists(init.Value))
                    problems.Add(new Problem(ProblemKind.InitDirMissing, Severity.Error, layout.FolderOf(init.Value), None, m.Name, init.Value,
                        new Fact.InitFolderMissing(driver)));
        }

        var referenced = ReferencedIds(layerDb, root);
        // Folders that referenced folders still mount through (named by their lower chains) are reported
        // as orphans, as no layerdb entry names them, but kept out of the clean-up plan: their content is in use.
        // Built on the first orphan candidate only: a root without one never walks the lower files.
        System.Collections.Generic.HashSet<string>? inLowerChains = null;
        bool InLowerChain(string name)
        {
            if (inLowerChains is null)
            {
                inLowerChains = new System.Collections.Generic.HashSet<string>(referenced, StringComparer.Ordinal);
                if (layout.HasShortLinks) AddLowerReferences(home, inLowerChains);
            }
            return inLowerChains.Contains(name);
        }
        // BuildKit's graph-driver adapter creates driver folders with 25-character IDs recorded only in
        // buildkit/snapshots.db, never in the layerdb: with BuildKit state present, such names are not orphans.
        var buildKit = root.BuildKitPresent;
        var namedByOtherId = NamedByOtherId(layerDb);
        var owners = LostOwners.Find(layout, layerDb, store, home, main, referenced, images, restore, root.Containers.IfNone(Empty));
        // Asked for an orphan candidate only (it looks at every layer's cache ID).
        var unreadNamer = new Lazy<Option<UnreadNamer>>(() => UnreadNamers(layerDb, owners, Exists).HeadOrNone(), LazyThreadSafetyMode.None);
        // A container whose mount folder is gone still owns its read-write folder X and init folder X-init, which nothing
        // names now: while one exists, such pairs stay out of the clean-up plan. A container whose config names another
        // driver keeps its data in that driver's home; one whose config cannot be read may be any.
        var mountless = root.Containers.IfNone(Empty)
            .Filter(c => c.Read is not ContainerConfigRead.Fields { Value.Driver: var d } || d.Value.Length == 0 || d == driver)
            .Map(c => c.Id)
            .Filter(id => layerDb.MountFolder(id).IsNone).OrderBy(id => id)
            .Map(id => new UnreadNamer("containers/" + id, UnreadNamer.Reason.ContainerWithoutMount)).HeadOrNone();
        var orphans = new List<string>();
        foreach (var (sub, entries) in names)
            foreach (var name in entries.Order(StringComparer.Ordinal))
            {
                if (layout.IsFixedEntry(sub, name) || referenced.Contains(name)) continue;
                if (buildKit && !DriverIds.IsValidId(name)) continue;
                var path = string.Join('/', new[] { driver.Value, sub, name }.Where(p => p.Length > 0));
                if (namedByOtherId.TryGetValue(name, out var namedBy))
                {
                    problems.Add(new Problem(ProblemKind.UnregisteredDriverDir, Severity.Warning, path, None, namedBy.Mount, name,
                        new Fact.UnregisteredFolder(namedBy.File)));
                    continue;
                }
                if (owners.Layers.TryGetValue(name, out var layer))
                {
                    problems.Add(new Problem(ProblemKind.UnregisteredDriverDir, Severity.Warning, path, layer.Layer, None, name,
                        new Fact.LayerFolderUnregistered(layer.Layer, layerDb.FolderOf(layer.Layer) + "/cache-id", layer.LowerFile)));
                    continue;
                }
                if (owners.Containers.TryGetValue(name, out var container))
                {
                    problems.Add(new Problem(ProblemKind.UnregisteredDriverDir, Severity.Warning, path, None, container.Container, name,
                        new Fact.ContainerFolderUnregistered(container.Container, container.Top, Init: name == container.Init)));
                    continue;
                }
                var inUse = InLowerChain(name);
                // A container without its mount folder may own any folder (its init folder may be gone too), even one matched
                // to it: a match can be wrong, and a wrong one must not cost the real folders.
                var keptFor = unreadNamer.Value.IsSome ? unreadNamer.Value : mountless;
                if (!inUse && keptFor.IsNone) orphans.Add(path);
                problems.Add(new Problem(ProblemKind.OrphanDriverDir, Severity.Warning, path, None, None, name,
                    new Fact.OrphanFolder(InLowerChain: inUse, inUse ? None : keptFor)));
            }

        if (layout.HasShortLinks)
            problems.AddRange(OverlayLinkChecks.Check(driver, home, referenced));
        return (problems, orphans.ToSeq().Strict(), owners);
    }

    /// <summary>A driver ID that names a folder directly under an ID folder (not <c>..</c>, no <c>/</c>); others
    /// (cache IDs moby 18.06+ accepts, such as <c>../../etc</c>) are not looked up, so no path leaves the root.</summary>
    private static System.Collections.Generic.HashSet<string> NamesOf(DirectoryListing.Listed listing)
    {
        var names = new System.Collections.Generic.HashSet<string>(listing.Entries.Count, StringComparer.Ordinal);
        foreach (var e in listing.Entries) names.Add(e.Name);
        return names;
    }

    internal static bool IsPlainName(string id) =>
        id.Length > 0 && id is not ("." or "..") && !id.Contains('/') && !id.Contains('\0') && Encoding.UTF8.GetByteCount(id) <= NameMax;

    // Linux's NAME_MAX: a longer name cannot be a folder (ENAMETOOLONG).
    private const int NameMax = 255;

    /// <summary>Driver IDs named anywhere in the layerdb: every layer folder's cache-id (also of layers that do
    /// not load), <c>-removing</c> and <c>tmp/write-set-*</c> folders, every mount's mount-id and init-id.</summary>
    internal static System.Collections.Generic.HashSet<string> ReferencedIds(LayerDbRead layerDb, RootSnapshot root)
    {
        var ids = new System.Collections.Generic.HashSet<string>(layerDb.Layers.Count + 2 * layerDb.MountFolders.Count, StringComparer.Ordinal);
        void AddId(string id)
        {
            ids.Add(id);
            var slash = id.TrimEnd('/').LastIndexOf('/');
            if (slash >= 0) ids.Add(id.TrimEnd('/')[(slash + 1)..]);   // vfs applies filepath.Base
        }
        foreach (var (_, layer) in layerDb.Layers)
            if (layer.CacheIdText.TrySome(out var id)) AddId(id);   // no delegate per layer
        foreach (var (_, dir) in root.Leftovers)
            if (dir.IdTextOf("cache-id").TrySome(out var id)) AddId(id);
        foreach (var (_, mount) in layerDb.MountFolders)
        {
            if (mount.MountIdText.TrySome(out var mountId)) AddId(mountId);
            if (mount.InitIdText.TrySome(out var initId)) AddId(initId);
        }
        return ids;
    }

    /// <summary>A mount's folders by its other ID: Docker names the init folder <c>&lt;mount ID&gt;-init</c>
    /// (moby <c>layer_store.go initMount</c>), so an <c>init-id</c> <c>X-init</c> names the read-write folder <c>X</c> and a
    /// <c>mount-id</c> <c>X</c> names the init folder <c>X-init</c>. Folder name → the mount and the file that names it
    /// (the first mount by name, ordinal, when two do).</summary>
    internal static Dictionary<string, (MountName Mount, string File)> NamedByOtherId(LayerDbRead layerDb)
    {
        var named = new Dictionary<string, (MountName, string)>(StringComparer.Ordinal);
        foreach (var (name, read) in layerDb.MountFolders)   // by name, ordinal
        {
            string FileOf(string file) => layerDb.RelativePath + "/mounts/" + name + "/" + file;
            var mountId = read.MountIdText;
            var initId = read.InitIdText;
            // Only for a role whose own file is missing, damaged or unreadable: a sound mount-id names the read-write
            // folder itself, and a sound init-id the init folder (moby accepts an init ID that is not <mount ID>-init).
            if (!mountId.Exists(DriverIds.IsValidId) && initId.TrySome(out var init)
                && init.Length > InitSuffix.Length && init.EndsWith(InitSuffix, StringComparison.Ordinal))
                named.TryAdd(init[..^InitSuffix.Length], (name, FileOf("init-id")));
            if (!initId.Exists(DriverIds.IsValidId) && mountId.TrySome(out var mount))
                named.TryAdd(mount + InitSuffix, (name, FileOf("mount-id")));
        }
        return named;
    }

    /// <summary>What Docker appends to a mount ID to name its init folder (moby <c>layer_store.go initMount</c>).</summary>
    internal const string InitSuffix = "-init";

    /// <summary>Whether a layer folder's <c>cache-id</c> is lost: missing or blank while the folder itself was read (an
    /// unreadable folder is not known to have lost it; an empty or missing folder is a removal's last step).</summary>
    /// <param name="layer">A layer folder as read.</param>
    internal static bool CacheIdLost(LayerFolderRead layer) =>
        layer.CacheIdText.IsNone && layer.Parsed.TryLeft(out var error)
        && error is not (LayerError.FileUnreadable or LayerError.FolderMissing or LayerError.FolderEmpty);

    /// <summary>layerdb entries that may name a driver folder but whose names the check does not know, sorted by path
    /// (ordinal): a mount folder that is not a readable folder (a symbolic link, unreadable) or whose <c>mount-id</c> or
    /// <c>init-id</c> is present but unread (unreadable, not a regular file, a link out of the root, over the cap); a layer
    /// folder with no cache ID read because it or a file of it could not be read; a layer folder whose <c>cache-id</c> is
    /// missing or blank (its content is in a driver folder nothing names now: <see cref="UnreadNamer.Reason.CacheIdLost"/>; an
    /// empty layer folder is a removal's last step, its driver folder already gone); and a folder or symbolic link under
    /// <c>sha256/</c> that moby does not list and the check did not read.</summary>
    /// <param name="layerDb">The layerdb as read.</param>
    /// <param name="owners">The lost owners matched back.</param>
    /// <param name="folderExists">Whether a driver ID names a folder of the home: a layer whose cache-id names none, or
    /// one another layer's names too, counts as well (<see cref="UnreadNamer.Reason.CacheIdDangling"/>).</param>
    internal static Seq<UnreadNamer> UnreadNamers(LayerDbRead layerDb, LostOwners owners, Func<string, bool> folderExists)
    {
        var all = UnreadNamers(layerDb) + DanglingCacheIds(layerDb, folderExists);
        if (owners.Layers.Count == 0) return all;
        var registered = owners.Layers.Values.Select(o => layerDb.FolderOf(o.Layer) + "/cache-id").ToHashSet(StringComparer.Ordinal);
        return all.Filter(n => !registered.Contains(n.Path)).Strict();
    }

    // Layers whose cache-id names no folder, or a folder another layer's cache-id names too: a damaged cache-id, whose layer's
    // content may be in a folder nothing names now.
    private static Seq<UnreadNamer> DanglingCacheIds(LayerDbRead layerDb, Func<string, bool> folderExists)
    {
        var named = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, layer) in layerDb.Layers)
            if (layer.CacheIdText.TrySome(out var id))
                named[id] = named.GetValueOrDefault(id) + 1;
        var dangling = new List<UnreadNamer>();
        foreach (var (chain, layer) in layerDb.Layers)
            if (layer.CacheIdText.TrySome(out var id) && IsPlainName(id) && (!folderExists(id) || named[id] > 1))
                dangling.Add(new UnreadNamer(layerDb.FolderOf(chain) + "/cache-id", UnreadNamer.Reason.CacheIdDangling));
        return dangling.OrderBy(n => n.Path, StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <summary>As <see cref="UnreadNamers(LayerDbRead, LostOwners, Func{string, bool})"/>, but a layer whose lost <c>cache-id</c> was matched to
    /// its folder (<see cref="LostOwners"/>) is no longer unread: the first overload leaves it out.</summary>
    internal static Seq<UnreadNamer> UnreadNamers(LayerDbRead layerDb)
    {
        var unread = new List<UnreadNamer>();
        foreach (var (name, mount) in layerDb.MountFolders)
        {
            var folder = layerDb.RelativePath + "/mounts/" + name;
            if (!mount.IsPresent) unread.Add(new(folder, UnreadNamer.Reason.Unreadable));
            else
            {
                foreach (var file in mount.UnreadIdFiles) unread.Add(new(folder + "/" + file, UnreadNamer.Reason.Unreadable));
                // Both IDs missing or not IDs: the container's folders are named by nothing.
                if (mount.UnreadIdFiles.IsEmpty && !mount.NamesAFolder)
                    unread.Add(new(folder, UnreadNamer.Reason.MountIdsLost));
            }
        }
        foreach (var (chain, layer) in layerDb.Layers)
            if (CacheIdLost(layer))
                unread.Add(new(layerDb.FolderOf(chain) + "/cache-id", UnreadNamer.Reason.CacheIdLost));
            else if (layer.CacheIdText.IsNone && layer.Parsed.TryLeft(out var error) && error is LayerError.FileUnreadable)
                unread.Add(new(layerDb.FolderOf(chain), UnreadNamer.Reason.Unreadable));
        if (layerDb.Sha256 is DirectoryListing.Listed others)
        {
            // The entries that are not listed layer folders (usually none): the read layers' names are made only for them.
            var candidates = others.Entries.Filter(e => e.Type is EntryType.Directory or EntryType.Symlink
                && !e.Name.EndsWith("-removing", StringComparison.Ordinal)).Strict();
            if (!candidates.IsEmpty)
            {
                var read = layerDb.Layers.Keys.Map(c => c.Digest.Encoded).ToHashSet(StringComparer.Ordinal);
                foreach (var e in candidates)
                    if (!read.Contains(e.Name)) unread.Add(new(layerDb.RelativePath + "/sha256/" + e.Name, UnreadNamer.Reason.NotListed));
            }
        }
        unread.Sort((x, y) => StringComparer.Ordinal.Compare(x.Path, y.Path));
        return unread.ToSeq().Strict();
    }

    /// <summary>overlay2 folders that referenced folders mount through (their <c>lower</c> names them via
    /// <c>l/</c>) are in use even when no layerdb entry names them any more (a lost cache-id): never orphans.</summary>
    private static void AddLowerReferences(DriverHomeSnapshot home, System.Collections.Generic.HashSet<string> referenced)
    {
        var folderOfLink = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, link) in home.ShortLinks)
            if (link.TargetLeavesLinkFolder) folderOfLink[name] = link.TargetFolder;
        // Entries are looked up as spans of the lower text: no string per entry (a 100,000-layer root has millions).
        var byName = folderOfLink.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = System.Array.Empty<char>();
        foreach (var id in referenced.ToList())
        {
            if (!home.Overlay.Find(id).Bind(static f => f.Lower).TrySome(out var lower)) continue;
            switch (lower)
            {
                case LowerFile.ShortLinks links:
                    foreach (var name in links.Names)
                        if (byName.TryGetValue(name, out var folder)) referenced.Add(folder);
                    break;
                case LowerFile.Other other:
                    var text = OverlayLinkChecks.Decode(other.Bytes, ref buffer);
                    foreach (var range in text.Split(':'))
                        if (text[range].StartsWith("l/", StringComparison.Ordinal) && byName.TryGetValue(text[range][2..], out var folder))
                            referenced.Add(folder);
                    break;
            }
        }
    }
}
