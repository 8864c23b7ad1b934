using System.Text;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>An image config of <c>imagedb/content/sha256</c> and whether moby restores it (§4.7).</summary>
/// <param name="Id">The image ID, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="TopChainId">ChainID of its top layer, computed from <c>rootfs.diff_ids</c>; None for an
/// image without layers or a config that does not parse.</param>
/// <param name="Loads">True when moby restores it: the config verifies and parses and its top layer loaded.</param>
public sealed record ImageInfo(string Id, Option<ChainID> TopChainId, bool Loads);

/// <summary>The checks moby never makes, for one root.</summary>
/// <param name="Problems">Problems found (unsorted; the report sorts).</param>
/// <param name="Images">Image configs, sorted by ID.</param>
/// <param name="ImageRefs">Per layer ChainID text: the number of images whose top layer it is.</param>
/// <param name="Containers">Container configs by container ID.</param>
/// <param name="OrphanPaths">Orphan driver folders (relative to the root), for the shell to measure.</param>
/// <param name="DaemonRefuses">True when a check changes the outcome: before 18.03 an image whose top layer
/// does not load stops the daemon.</param>
/// <param name="Cleanup">What a clean-up could remove: orphan driver folders, leftover layerdb folders and the
/// driver folders only they name; sorted by path.</param>
public sealed record RootCheckResult(
    Seq<Problem> Problems, Seq<ImageInfo> Images, HashMap<string, int> ImageRefs, HashMap<string, ContainerInfo> Containers,
    Seq<string> OrphanPaths, bool DaemonRefuses, Seq<CleanupItem> Cleanup)
{
    /// <summary>True when a container's restore makes the daemon panic (<see cref="ContainerRestore"/>).</summary>
    public bool DaemonCrashes { get; init; }

    /// <summary>No checks made.</summary>
    public static RootCheckResult None { get; } = new(default, default, default, default, default, false, default);
}

/// <summary>One folder a clean-up could remove, and why.</summary>
/// <param name="Path">Relative to the docker root.</param>
/// <param name="Reason">The problem kind that makes it removable.</param>
/// <param name="Note">One line for the plan, e.g. which leftover names it.</param>
public sealed record CleanupItem(string Path, ProblemKind Reason, string Note)
{
    /// <summary>Apparent size in bytes, once the shell has measured it.</summary>
    public Option<long> Bytes { get; init; }
}

/// <summary>
/// What dockerd never checks (report.md; layer-store.md §1.4, §1.7, §1.8, §4.7, §4.8, §5, §6.6, §7.3):
/// listing quirks and leftovers, depth, tar-split, the graph driver's folders (missing, orphaned,
/// overlay2 links), images and containers. Pure: works on the snapshots and the load result.
/// </summary>
public static class RootChecks
{
    /// <summary>moby's <c>maxLayerDepth</c>: registering a layer on a parent this deep is refused.</summary>
    public const int MaxLayerDepth = 125;

    /// <summary>Runs every check.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDb">The layerdb snapshot that was loaded.</param>
    /// <param name="load">Its load result.</param>
    /// <param name="root">Everything else the shell read.</param>
    public static RootCheckResult Run(MobyVersion version, string driver, LayerDbSnapshot layerDb, LoadResult load, RootSnapshot root) =>
        Run(version, driver, LayerDbRead.Of(layerDb, version), load, root);

    /// <summary>Runs every check on a layerdb parsed as it was read.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDb">The layerdb that was loaded.</param>
    /// <param name="load">Its load result.</param>
    /// <param name="root">Everything else the shell read.</param>
    public static RootCheckResult Run(MobyVersion version, string driver, LayerDbRead layerDb, LoadResult load, RootSnapshot root)
    {
        var problems = new List<Problem>();
        problems.AddRange(ListingQuirks(version, layerDb, root));
        problems.AddRange(OversizedFiles.Check(layerDb));
        problems.AddRange(DepthChecks(layerDb, load.Store));
        problems.AddRange(TarSplitChecks(layerDb, load.Store, root));
        var (driverProblems, orphans) = DriverChecks(driver, layerDb, load.Store, root);
        problems.AddRange(driverProblems);
        var (images, imageProblems, refuses) = ImageChecks(version, layerDb, load.Store, root);
        problems.AddRange(imageProblems);
        var restore = ContainerRestore.Run(version, driver, layerDb.RelativePath, LayerStoreLoad.ListedMounts(layerDb.Mounts),
            load.Store.Mounts.Map(m => m.Name), root.Containers);
        problems.AddRange(restore.Problems);
        var containers = toHashMap(restore.Containers.Map(c => (c.Id, c)));
        var refs = images.Filter(i => i.Loads).Choose(i => i.TopChainId)
            .GroupBy(c => c.ToString(), StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()));
        var cleanup = orphans.Map(o => new CleanupItem(o, ProblemKind.OrphanDriverDir, "orphan driver folder"))
            + LeftoverCleanup(driver, layerDb, root) + ShortLinkCleanup(driver, root, orphans);
        return new RootCheckResult(problems.ToSeq().Strict(), images, toHashMap(refs), containers, orphans, refuses,
            cleanup.OrderBy(c => c.Path, StringComparer.Ordinal).ToSeq().Strict()) { DaemonCrashes = restore.DaemonCrashes };
    }

    // overlay2's l/ links that dangle, or that lead into an orphan folder (they would dangle once it is gone).
    private static Seq<CleanupItem> ShortLinkCleanup(string driver, RootSnapshot root, Seq<string> orphans)
    {
        if (!DriverLayout.For(driver).HasShortLinks) return Empty;
        var orphanIds = orphans.Map(o => o[(driver.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        var items = new List<CleanupItem>();
        foreach (var (name, link) in root.DriverHome.ShortLinks)
        {
            if (link.TargetExists && !orphanIds.Contains(SecondPart(link.Target))) continue;
            items.Add(new CleanupItem($"{driver}/l/{name}", link.TargetExists ? ProblemKind.OrphanDriverDir : ProblemKind.OverlaySymlinkDangling,
                link.TargetExists ? "short link into an orphan folder" : "dangling short link"));
        }
        return items.ToSeq().Strict();   // sorted by path with the rest of the cleanup
    }

    // The second '/'-separated part of a link target ("../<id>/diff" gives "<id>"); empty when there is none.
    private static string SecondPart(string target)
    {
        var first = target.IndexOf('/', StringComparison.Ordinal);
        if (first < 0) return "";
        var second = target.IndexOf('/', first + 1);
        return second < 0 ? target[(first + 1)..] : target[(first + 1)..second];
    }

    // A leftover layerdb folder, and its driver folder when nothing else names that cache ID (what moby's
    // own Cleanup removes for -removing folders at shutdown).
    private static Seq<CleanupItem> LeftoverCleanup(string driver, LayerDbRead layerDb, RootSnapshot root)
    {
        var layout = DriverLayout.For(driver);
        var others = ReferencedIds(layerDb, root with { Leftovers = default });
        var present = root.DriverHome.IdFolders.Find(layout.IdFolders.Head)
            .Map(l => l switch { DirectoryListing.Listed ls => ls.Entries.Map(e => e.Name).ToHashSet(StringComparer.Ordinal), _ => [] })
            .IfNone(() => []);
        var items = new List<CleanupItem>();
        foreach (var (key, _) in root.Leftovers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var reason = key.StartsWith("tmp/", StringComparison.Ordinal) ? ProblemKind.StaleTransaction : ProblemKind.RemovalLeftover;
            items.Add(new CleanupItem(layerDb.RelativePath + "/" + key, reason, reason == ProblemKind.StaleTransaction ? "uncommitted layer transaction" : "layer folder left by an interrupted removal"));
            foreach (var cache in CacheIdOf(root.Leftovers, key))
                if (layout.Decidable && !others.Contains(cache) && present.Contains(layout.EntryNameOf(cache)))
                    items.Add(new CleanupItem(layout.FolderOf(cache), reason, $"driver folder named only by {key}"));
        }
        return items.ToSeq().Strict();
    }

    private static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static readonly System.Collections.Generic.HashSet<ProblemKind> LayerFailureKinds =
    [
        ProblemKind.LayerDirEmpty, ProblemKind.DiffIdMissing, ProblemKind.DiffIdInvalid, ProblemKind.SizeMissing, ProblemKind.SizeInvalid,
        ProblemKind.CacheIdMissing, ProblemKind.CacheIdInvalid, ProblemKind.ParentInvalid, ProblemKind.ParentLayerMissing,
        ProblemKind.DescriptorInvalid, ProblemKind.ParentCycle, ProblemKind.EntryUnreadable, ProblemKind.NotARegularFile,
        ProblemKind.FileTooLarge, ProblemKind.SymlinkOutsideRoot,
    ];

    /// <summary>
    /// Completes the consequence of each layer failure that starts a cascade with what the cascade costs
    /// beyond layers and mounts: the images moby then skips and the containers that lose their read-write
    /// layer (moby drops them up to 29.3; 29.4+ keeps them, unable to start).
    /// </summary>
    /// <param name="version">Rule set (container wording).</param>
    /// <param name="layerDb">The layerdb snapshot (parent links of folders that did not load).</param>
    /// <param name="load">The load result whose problems are completed.</param>
    /// <param name="checks">The image and container checks.</param>
    public static LoadResult WithImageAndContainerCosts(MobyVersion version, LayerDbSnapshot layerDb, LoadResult load, RootCheckResult checks) =>
        WithImageAndContainerCosts(version, LayerDbRead.Of(layerDb, version), load, checks);

    /// <summary>As <see cref="WithImageAndContainerCosts(MobyVersion, LayerDbSnapshot, LoadResult, RootCheckResult)"/>, for a layerdb parsed as it was read.</summary>
    /// <param name="version">Rule set (container wording).</param>
    /// <param name="layerDb">The layerdb (parent links of folders that did not load).</param>
    /// <param name="load">The load result whose problems are completed.</param>
    /// <param name="checks">The image and container checks.</param>
    public static LoadResult WithImageAndContainerCosts(MobyVersion version, LayerDbRead layerDb, LoadResult load, RootCheckResult checks)
    {
        var rootCauses = load.Problems.Filter(p => LayerFailureKinds.Contains(p.Kind)).Choose(p => p.ChainId.Map(c => (c, p)))
            .GroupBy(x => x.Item1, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);
        var ancestors = load.Problems.Filter(p => p.Kind == ProblemKind.AncestorUnloadable).Choose(p => p.ChainId)
            .ToHashSet(StringComparer.Ordinal);
        string? RootOf(string chain)
        {
            var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            for (var at = chain; seen.Add(at);)
            {
                if (rootCauses.ContainsKey(at)) return at;
                if (!ancestors.Contains(at)) return null;
                var next = ChainID.Parse(at, version).ToOption()
                    .Bind(id => layerDb.Layers.Find(id)).Bind(l => l.ParentLink);
                var parent = next.Case as ChainID;
                if (parent is null) return null;
                at = parent.ToString();
            }
            return null;
        }
        var images = checks.Images.Filter(i => !i.Loads).Choose(i => i.TopChainId).Map(t => RootOf(t.ToString()))
            .Where(r => r is not null).GroupBy(r => r!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var containers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in load.Store.SkippedMounts.Filter(m => m.Kind == ProblemKind.MountParentUnloadable
            && checks.Containers.Find(m.Name).Exists(c => c.Fate is ContainerFate.MountNotLoaded or ContainerFate.KeptWithoutMount)))
        {
            var parent = layerDb.MountDirs.Find(m.Name).Bind(d => LayerStoreLoad.ParentFolderOf(d, version)).Case as ChainID;
            var root = parent is null ? null : RootOf(parent.ToString());
            if (root is not null) containers[root] = containers.GetValueOrDefault(root) + 1;
        }
        if (images.Count == 0 && containers.Count == 0) return load;
        Problem Extend(Problem p)
        {
            var chain = p.ChainId.Case as string;
            if (!LayerFailureKinds.Contains(p.Kind) || chain is null || rootCauses[chain] != p) return p;
            var i = images.GetValueOrDefault(chain);
            var c = containers.GetValueOrDefault(chain);
            var parts = new List<string>();
            if (i > 0) parts.Add($"{Plural(i, "image")} skipped at restore");
            if (c > 0) parts.Add(version.AtLeast(29, 4)
                ? $"{Plural(c, "container")} kept without a read-write layer"
                : $"{Plural(c, "container")} dropped at start-up");
            return parts.Count == 0 ? p : p with { Consequence = p.Consequence + "; also " + string.Join(" and ", parts) };
        }
        return load with { Problems = load.Problems.Map(Extend).Strict() };
    }

    // §3, §1.4, §1.8: what the listing skips, and what moby leaves behind.
    private static IEnumerable<Problem> ListingQuirks(MobyVersion version, LayerDbRead layerDb, RootSnapshot root)
    {
        var listed = layerDb.Sha256 as DirectoryListing.Listed;
        if (listed is not null)
        {
            var listedNames = LayerStoreLoad.ListedLayers(layerDb.Sha256, version).Map(c => c.Digest.Encoded).ToHashSet(StringComparer.Ordinal);
            foreach (var e in listed.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (listedNames.Contains(e.Name)) continue;
                var path = layerDb.RelativePath + "/sha256/" + e.Name;
                if (e.Type == EntryType.Symlink)
                    yield return new Problem(ProblemKind.LayerDirIsSymlink, Severity.Warning, path, None, None, None,
                        $"{GoText.Quote(e.Name)} is a symbolic link",
                        "moby does not list it; it loads only as another layer's parent, and then gives no reference to its own parent");
                else if (e.Type == EntryType.Directory && e.Name.EndsWith("-removing", StringComparison.Ordinal)
                         && Digest.Parse("sha256:" + e.Name.Split('-')[0], MobyVersion.Default).IsRight)
                {
                    var cache = CacheIdOf(root.Leftovers, "sha256/" + e.Name);
                    yield return new Problem(ProblemKind.RemovalLeftover, Severity.Warning, path, None, None, cache,
                        "a layer folder renamed for removal whose deletion did not finish",
                        version.AtLeast(20, 10)
                            ? cache.Match(c => $"moby removes it and driver folder {c} only at a clean daemon shutdown", () => "moby never removes it: it has no readable cache-id")
                            : "moby before 20.10 never creates or removes such folders");
                }
                else
                    yield return new Problem(ProblemKind.InvalidLayerDirEntry, Severity.Warning, path, None, None, None,
                        e.Type == EntryType.Directory
                            ? $"folder name {GoText.Quote(e.Name)} is not a valid {(version.AcceptsUpperCaseHex ? "" : "lower-case ")}sha256 digest"
                            : e.Name.Contains('\uFFFD', StringComparison.Ordinal)
                                ? $"{GoText.Quote(e.Name)} is not valid UTF-8 (undecodable bytes shown as U+FFFD); not a sha256 digest either"
                                : $"{GoText.Quote(e.Name)} is not a folder",
                        "moby's listing ignores it");
            }
        }
        var tmp = root.Tmp as DirectoryListing.Listed;
        if (tmp is not null)
            foreach (var e in tmp.Entries.Filter(e => e.Name.StartsWith("write-set-", StringComparison.Ordinal)).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var key = "tmp/" + e.Name;
                var cache = CacheIdOf(root.Leftovers, key);
                var empty = root.Leftovers.Find(key).Map(d => d switch { RawDirectory.Present p => p.EntryNames.IsEmpty, _ => false }).IfNone(false);
                yield return new Problem(ProblemKind.StaleTransaction, Severity.Warning, layerDb.RelativePath + "/" + key, None, None, cache,
                    empty ? "an empty layer transaction folder" : "an uncommitted layer transaction (a pull or build died before the final rename)",
                    cache.Match(c => $"moby never removes it; driver folder {c} belongs to no layer", () => "moby never removes it"));
            }
    }

    private static Option<string> CacheIdOf(HashMap<string, RawDirectory> folders, string key) =>
        folders.Find(key).Bind(d => d switch { RawDirectory.Present p => p.Files.Find("cache-id"), _ => None })
            .Bind(f => f switch { RawFile.Content c => Some(Encoding.UTF8.GetString(GoText.TrimSpace(c.Bytes))), _ => None })
            .Filter(s => s.Length > 0);

    // §4.8: maxLayerDepth applies at register time only, so deep chains load, but nothing can be built on them.
    private static IEnumerable<Problem> DepthChecks(LayerDbRead layerDb, LayerStore store)
    {
        var over = store.Layers.Count(l => l.Depth > MaxLayerDepth);
        foreach (var l in store.Layers)
        {
            if (l.Depth == MaxLayerDepth)
                yield return new Problem(ProblemKind.LayerDepthAtLimit, Severity.Warning, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID.ToString(), None, None,
                    $"depth {MaxLayerDepth}: moby's limit", "moby refuses to register any layer on top of it (builds and commits on this image fail)");
            else if (l.Depth == MaxLayerDepth + 1)
                yield return new Problem(ProblemKind.LayerDepthExceeded, Severity.Error, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey, l.ChainID.ToString(), None, None,
                    $"depth {l.Depth}, over moby's limit of {MaxLayerDepth} ({Plural(over, "layer")} in all are deeper than the limit)",
                    "moby loads it, but overlay2 cannot mount more than 128 lower layers and nothing can be registered on it");
        }
    }


    // §1.7: never read at load, but save and push rebuild the tar stream from it.
    private static IEnumerable<Problem> TarSplitChecks(LayerDbRead layerDb, LayerStore store, RootSnapshot root)
    {
        foreach (var l in store.Layers)
        {
            var dir = layerDb.Layers.Find(l.ChainID).Case as LayerFolderRead;
            if (dir is null) continue;
            string Path() => layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey + "/tar-split.json.gz";
            if (!dir.HasTarSplit)
            {
                yield return new Problem(ProblemKind.TarSplitMissing, Severity.Error, Path(), l.ChainID.ToString(), None, None,
                    "tar-split.json.gz is missing", $"docker save and push of images with layer {l.ChainID.Short} fail: its tar stream cannot be rebuilt");
                continue;
            }
            var state = root.TarSplits.Find(l.ChainID);
            var reason = state.Case switch
            {
                TarSplitState.Invalid i => i.Reason,
                TarSplitState.Unreadable u => "cannot be read: " + u.Reason,
                _ => null,
            };
            if (reason is not null)
                yield return new Problem(ProblemKind.TarSplitInvalid, Severity.Error, Path(), l.ChainID.ToString(), None, None,
                    "tar-split.json.gz is not a complete tar-split stream: " + reason,
                    $"docker save and push of images with layer {l.ChainID.Short} fail");
        }
    }

    // §6.6: the driver's folders against the IDs the layerdb names.
    private static (IEnumerable<Problem>, Seq<string>) DriverChecks(string driver, LayerDbRead layerDb, LayerStore store, RootSnapshot root)
    {
        var layout = DriverLayout.For(driver);
        var home = root.DriverHome;
        var problems = new List<Problem>();
        var hasMetadata = !store.Layers.IsEmpty || !store.Mounts.IsEmpty || !store.SkippedLayers.IsEmpty || !store.SkippedMounts.IsEmpty;
        var homeEmpty = home.Home switch { DirectoryListing.Listed h => h.Entries.IsEmpty, _ => true };
        if (homeEmpty)
        {
            if (hasMetadata && layout.Decidable)
                problems.Add(new Problem(ProblemKind.DriverHomeMissing, Severity.Error, driver, None, None, None,
                    $"{driver}/ is {(home.Home is DirectoryListing.Listed ? "empty" : "missing")} but {layerDb.RelativePath} names layers and mounts",
                    $"the content of {Plural(store.Layers.Count, "loaded layer")} and {Plural(store.Mounts.Count, "mount")} is not there: containers cannot start and images cannot be saved or pushed"));
            return (problems, Empty);
        }
        if (!layout.Decidable) return (problems, Empty);

        var names = layout.IdFolders.Map(sub => (sub, Names: home.IdFolders.Find(sub).Map(l => l switch
            {
                DirectoryListing.Listed ls => ls.Entries.Map(e => e.Name).ToHashSet(StringComparer.Ordinal),
                _ => new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal),
            })
            .IfNone(() => new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal))));
        var main = names.Head.Names;
        bool Exists(string id) => main.Contains(layout.EntryNameOf(id));

        // moby takes any non-empty cache-id from 18.06 on; one that cannot name a single folder (a '/', a NUL, '.' or
        // '..', over 255 bytes) makes the driver look outside its home or fail: the layer's content is not where it should be.
        foreach (var l in store.Layers.Filter(l => !IsPlainName(l.CacheID.Value)))
            problems.Add(new Problem(ProblemKind.CacheDirMissing, Severity.Error, layerDb.RelativePath + "/" + l.ChainID.Digest.FolderKey + "/cache-id",
                l.ChainID.ToString(), None, l.CacheID.Value,
                $"layer {l.ChainID.Short}'s cache ID {GoText.Quote(l.CacheID.Value)} cannot name a folder in {driver}/ (it is '.' or '..', holds '/' or NUL, or is over 255 bytes)",
                $"moby loads the layer, but the {driver} driver looks for its content outside its own folder or fails: containers on it cannot start and save/push fail"));
        foreach (var l in store.Layers.Filter(l => IsPlainName(l.CacheID.Value)))
            if (!Exists(l.CacheID.Value))
                problems.Add(new Problem(ProblemKind.CacheDirMissing, Severity.Error, layout.FolderOf(l.CacheID.Value), l.ChainID.ToString(), None, l.CacheID.Value,
                    $"layer {l.ChainID.Short}'s cache ID names no {driver} folder",
                    "moby loads the layer, but containers on it fail to start and save/push fail"));
        foreach (var m in store.Mounts)
        {
            if (!Exists(m.MountID.Value))
                problems.Add(new Problem(ProblemKind.MountDirMissing, Severity.Error, layout.FolderOf(m.MountID.Value), None, m.Name, m.MountID.Value,
                    $"mount {m.Name}'s mount ID names no {driver} folder", "its container cannot start: the read-write layer is gone"));
            foreach (var init in m.InitID)
                if (!Exists(init.Value))
                    problems.Add(new Problem(ProblemKind.InitDirMissing, Severity.Error, layout.FolderOf(init.Value), None, m.Name, init.Value,
                        $"mount {m.Name}'s init ID names no {driver} folder", "its container cannot start: the init layer is gone"));
        }

        var referenced = ReferencedIds(layerDb, root);
        // Folders that referenced folders still mount through (named by their lower chains) are reported
        // as orphans, as no layerdb entry names them, but kept out of the clean-up plan: their content is in use.
        var inLowerChains = referenced.ToHashSet(StringComparer.Ordinal);
        if (layout.HasShortLinks) AddLowerReferences(home, inLowerChains);
        // BuildKit's graph-driver adapter creates driver folders with 25-character IDs recorded only in
        // buildkit/snapshots.db, never in the layerdb: with BuildKit state present, such names are not orphans.
        var buildKit = root.BuildKitPresent;
        var orphans = new List<string>();
        foreach (var (sub, entries) in names)
            foreach (var name in entries.Order(StringComparer.Ordinal))
            {
                if (layout.IsFixedEntry(sub, name) || referenced.Contains(name)) continue;
                if (buildKit && !DriverIds.IsValidId(name)) continue;
                var path = string.Join('/', new[] { driver, sub, name }.Where(p => p.Length > 0));
                var inUse = inLowerChains.Contains(name);
                if (!inUse) orphans.Add(path);
                problems.Add(new Problem(ProblemKind.OrphanDriverDir, Severity.Warning, path, None, None, name,
                    $"no layer, mount or init layer references {GoText.Quote(name)}",
                    inUse
                        ? "no layerdb entry names it, but layers that load still mount through it (their lower chain names it): recover its layerdb entry rather than delete it"
                        : "disk space that docker system prune never frees; safe to remove once the daemon is stopped"));
            }

        if (layout.HasShortLinks)
            problems.AddRange(OverlayLinkChecks(driver, home, referenced));
        return (problems, orphans.ToSeq().Strict());
    }

    /// <summary>A driver ID that names a folder directly under an ID folder (not <c>..</c>, no <c>/</c>); others
    /// (cache IDs moby 18.06+ accepts, such as <c>../../etc</c>) are not looked up, so no path leaves the root.</summary>
    private static bool IsPlainName(string id) =>
        id.Length > 0 && id is not ("." or "..") && !id.Contains('/') && !id.Contains('\0') && Encoding.UTF8.GetByteCount(id) <= NameMax;

    // Linux's NAME_MAX: a longer name cannot be a folder (ENAMETOOLONG).
    private const int NameMax = 255;

    /// <summary>Driver IDs named anywhere in the layerdb: every layer folder's cache-id (also of layers that do
    /// not load), <c>-removing</c> and <c>tmp/write-set-*</c> folders, every mount's mount-id and init-id.</summary>
    private static System.Collections.Generic.HashSet<string> ReferencedIds(LayerDbRead layerDb, RootSnapshot root)
    {
        var ids = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        void AddId(string id)
        {
            ids.Add(id);
            var slash = id.TrimEnd('/').LastIndexOf('/');
            if (slash >= 0) ids.Add(id.TrimEnd('/')[(slash + 1)..]);   // vfs applies filepath.Base
        }
        void Add(RawDirectory dir, string file)
        {
            var c = (dir as RawDirectory.Present)?.Files.Find(file).Case as RawFile.Content;
            if (c is not null)
            {
                var id = Encoding.UTF8.GetString(GoText.TrimSpace(c.Bytes));
                if (id.Length > 0) AddId(id);
            }
        }
        foreach (var (_, layer) in layerDb.Layers) layer.CacheIdText.IfSome(AddId);
        foreach (var (_, dir) in root.Leftovers) Add(dir, "cache-id");
        foreach (var (_, dir) in layerDb.MountDirs)
        {
            Add(dir, "mount-id");
            Add(dir, "init-id");
        }
        return ids;
    }

    /// <summary>overlay2 folders that referenced folders mount through (their <c>lower</c> names them via
    /// <c>l/</c>) are in use even when no layerdb entry names them any more (a lost cache-id): never orphans.</summary>
    private static void AddLowerReferences(DriverHomeSnapshot home, System.Collections.Generic.HashSet<string> referenced)
    {
        var folderOfLink = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, link) in home.ShortLinks)
            if (link.Target.StartsWith("../", StringComparison.Ordinal)) folderOfLink[name] = link.Target[3..].Split('/')[0];
        // Entries are looked up as spans of the lower text: no string per entry (a 100,000-layer root has millions).
        var byName = folderOfLink.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var id in referenced.ToList())
            foreach (var lower in home.Overlay.Find(id).Bind(f => f.Lower))
            {
                var text = Encoding.UTF8.GetString(lower).AsSpan();
                foreach (var range in text.Split(':'))
                    if (text[range].StartsWith("l/", StringComparison.Ordinal) && byName.TryGetValue(text[range][2..], out var folder))
                        referenced.Add(folder);
            }
    }

    // Entries of a lower file that are not "l/<name>" with a short link that leads somewhere, in file order.
    private static List<string> BadLowerEntries(string lower, System.Collections.Generic.HashSet<string>.AlternateLookup<ReadOnlySpan<char>> leading)
    {
        var bad = new List<string>();
        var text = lower.AsSpan();
        foreach (var range in text.Split(':'))
            if (!(text[range].StartsWith("l/", StringComparison.Ordinal) && leading.Contains(text[range][2..]))) bad.Add(text[range].ToString());
        return bad;
    }

    private static IEnumerable<Problem> OverlayLinkChecks(string driver, DriverHomeSnapshot home, System.Collections.Generic.HashSet<string> referenced)
    {
        var leading = new System.Collections.Generic.HashSet<string>(
            home.ShortLinks.Filter(l => l.TargetExists).Keys, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (id, folder) in home.Overlay.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!referenced.Contains(id)) continue;
            if (folder.Link.IsNone)
                yield return new Problem(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"{driver}/{id}/link", None, None, id,
                    "the link file is missing", "layers on top of this one cannot name it in their lower list; mounting them fails");
            foreach (var link in folder.Link)
            {
                var name = Encoding.UTF8.GetString(link);
                if (name.Length == 0)
                    yield return new Problem(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"{driver}/{id}/link", None, None, id,
                        "the link file is empty", "layers on top of this one cannot name it in their lower list; mounting them fails");
                else if (!home.ShortLinks.ContainsKey(name))
                    yield return new Problem(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, $"{driver}/{id}/link", None, None, id,
                        $"link names {GoText.Quote(name)}, which is not in {driver}/l/",
                        "mounts that go through this layer fail until the short link is recreated");
            }
            foreach (var lower in folder.Lower)
            {
                var bad = BadLowerEntries(Encoding.UTF8.GetString(lower), leading);
                if (bad.Count > 0)
                    yield return new Problem(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"{driver}/{id}/lower", None, None, id,
                        $"lower names {string.Join(", ", bad.Select(b => GoText.Quote(b)))}, which {(bad.Count == 1 ? "does" : "do")} not lead to a layer",
                        "mounting this layer (a container on it, or a build step) fails");
            }
        }
        foreach (var (name, link) in home.ShortLinks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (!link.TargetExists)
                yield return new Problem(ProblemKind.OverlaySymlinkDangling, Severity.Warning, $"{driver}/l/{name}", None, None, None,
                    $"l/{name} points to {GoText.Quote(link.Target)}, which does not exist",
                    "harmless in itself, but a sign of a removal that did not finish");
    }

    // §4.7: image restore, by ChainID only.
    private static (Seq<ImageInfo>, IEnumerable<Problem>, bool) ImageChecks(MobyVersion version, LayerDbRead layerDb, LayerStore store, RootSnapshot root)
    {
        // No image store read: nothing is checked (the loop below then sees no files).
        var configs = root.ImageConfigs.IfNone(Seq<ImageConfigFile>());
        var imageDb = layerDb.RelativePath[..^"layerdb".Length] + "imagedb/content/sha256";
        var loaded = store.Layers.Map(l => l.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        var images = new List<ImageInfo>();
        var problems = new List<Problem>();
        var refuses = false;
        foreach (var file in configs.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (Digest.Parse("sha256:" + file.Name, MobyVersion.Default).IsLeft) continue;   // moby skips bad names (debug log)
            var id = "sha256:" + file.Name;
            var path = imageDb + "/" + file.Name;
            Problem Invalid(string message) => new(ProblemKind.ImageConfigInvalid, Severity.Error, path, None, None, None, message,
                $"moby skips image {file.Name[..12]} at start-up (error log 'invalid image')");
            var content = file.Content as RawFile.Content;
            if (content is null)
            {
                problems.Add(Invalid("the image config cannot be read"));
                images.Add(new ImageInfo(id, None, false));
                continue;
            }
            if (Digest.Sha256Of(content.Bytes).Encoded != file.Name)
            {
                problems.Add(Invalid("the content does not hash to the file name (moby: failed to verify)"));
                images.Add(new ImageInfo(id, None, false));
                continue;
            }
            var parsed = ParseImageConfig(content.Bytes, version);
            var error = parsed.Case as string;
            if (error is not null)
            {
                problems.Add(Invalid(error));
                images.Add(new ImageInfo(id, None, false));
                continue;
            }
            var top = (Option<ChainID>)parsed.Case!;
            var loads = top.Map(t => loaded.Contains(t.ToString())).IfNone(true);
            images.Add(new ImageInfo(id, top, loads));
            if (!loads)
            {
                refuses |= version.MissingImageLayerIsFatal;
                problems.Add(new Problem(ProblemKind.ImageLayerMissing, Severity.Error, path, top.Map(t => t.ToString()), None, None,
                    $"top layer {top.Map(t => t.ToString()).IfNone("")} of image {file.Name[..12]} is not among the loaded layers",
                    version.MissingImageLayerIsFatal
                        ? "moby before 18.03 stops at start-up: 'layer does not exist'"
                        : $"moby skips image {file.Name[..12]} ('not restoring image'); containers of it lose their image"));
            }
        }
        return (images.ToSeq().Strict(), problems, refuses);
    }

    /// <summary>The top ChainID of an image config (None without layers), or why moby rejects it.</summary>
    internal static Either<string, Option<ChainID>> ParseImageConfig(byte[] bytes, MobyVersion version)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = GoDescriptorJson.MaxDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return "the image config is not a JSON object";
            // Go decodes every occurrence of a key in turn: a wrong type in any duplicate fails the config.
            var rootfsAll = Properties(doc.RootElement, "rootfs");
            if (rootfsAll.Count == 0 || rootfsAll.Exists(r => r.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)))
                return "invalid image JSON, no RootFS key";
            var rootfs = rootfsAll.Last;
            if (rootfs.ValueKind != JsonValueKind.Object) return "invalid image JSON, no RootFS key";
            foreach (var os in Properties(doc.RootElement, "os"))
            {
                if (os.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return "os is not a string";
                var name = os.ValueKind == JsonValueKind.String ? GoJsonString.Of(os) : "";
                if (version.AtLeast(18, 2) && name.Length > 0
                    && !string.Equals(name, "linux", version.AtLeast(25) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                    return $"image operating system {GoText.Quote(name)} is not supported on this host";
            }
            var diffIdsAll = Properties(rootfs, "diff_ids");
            if (diffIdsAll.Exists(d => d.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))) return "rootfs.diff_ids is not an array";
            if (diffIdsAll.IsEmpty || diffIdsAll.Last.ValueKind == JsonValueKind.Null) return Right<string, Option<ChainID>>(None);
            Option<ChainID> chain = None;
            foreach (var d in diffIdsAll.Last.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.String) return "rootfs.diff_ids holds a value that is not a string";
                var text = GoJsonString.Of(d);
                var diff = DiffID.Parse(text, version);
                var diffId = diff.Case as DiffID;
                if (diffId is null) return $"rootfs.diff_ids holds {GoText.Quote(text)}, which is not a digest";
                chain = Some(ChainID.Compute(chain, diffId));
            }
            return Right<string, Option<ChainID>>(chain);
        }
        catch (JsonException e)
        {
            return "the image config is not valid JSON: " + e.Message.Split(". ")[0];
        }
        catch (InvalidOperationException e)
        {
            return "the image config is not valid JSON: " + e.Message.Split(". ")[0];
        }
    }

    // Go's encoding/json matches keys without regard to case, and decodes every duplicate.
    private static Seq<JsonElement> Properties(JsonElement obj, string name)
    {
        var found = new List<JsonElement>();
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(GoJsonString.Decode(System.Text.Encoding.UTF8.GetBytes(p.Name), false), name, StringComparison.OrdinalIgnoreCase)) found.Add(p.Value);
        return found.ToSeq().Strict();
    }
}
