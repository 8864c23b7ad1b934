using LanguageExt;
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
/// <param name="ImageRefs">Per layer chain ID: the number of images whose top layer it is.</param>
/// <param name="Containers">Container configs by container ID.</param>
/// <param name="OrphanPaths">Orphan driver folders (relative to the root), for the shell to measure.</param>
/// <param name="DaemonRefuses">True when a check changes the outcome: before 18.03 an image whose top layer
/// does not load stops the daemon.</param>
/// <param name="Cleanup">What a clean-up could remove: orphan driver folders, leftover layerdb folders and the
/// driver folders only they name; sorted by path.</param>
public sealed record RootCheckResult(
    Seq<Problem> Problems, Seq<ImageInfo> Images, HashMap<ChainID, int> ImageRefs, HashMap<MountName, ContainerInfo> Containers,
    Seq<string> OrphanPaths, bool DaemonRefuses, Seq<CleanupItem> Cleanup)
{
    /// <summary>True when a container's restore makes the daemon panic (<see cref="ContainerRestore"/>).</summary>
    public bool DaemonCrashes { get; init; }

    /// <summary>What a repair plan would do (<see cref="Repairs"/>), in the order it runs.</summary>
    public Seq<RepairAction> Repairs { get; init; }

    /// <summary>Each image's names from <c>repositories.json</c> (<see cref="RepositoriesJson.Parse"/>): image ID →
    /// references; empty when the file is absent or not a tag store.</summary>
    public HashMap<string, Seq<string>> ImageReferences { get; init; }

    /// <summary>The layer folders of the layerdb that did not load, in chain-ID order (ordinal), with the parent link and
    /// driver folder their files still give (<see cref="UnloadedLayer"/>).</summary>
    public Seq<UnloadedLayer> Unloaded { get; init; }

    /// <summary>No checks made.</summary>
    public static RootCheckResult None { get; } = new(default, default, default, default, default, false, default);
}

/// <summary>A layer folder of the layerdb that moby does not load, as far as its files still tell: what it sits on and
/// which driver folder holds its content. The quarantine follows these links (a layer that does not load, on a layer that is
/// moved out, goes too).</summary>
/// <param name="ChainID">The chain ID naming the folder.</param>
/// <param name="Parent">Its <c>parent</c> file's chain ID, when it parses; None for a base layer or an unreadable file.</param>
/// <param name="CacheId">Its driver folder: the <c>cache-id</c> text when it is a plain folder name, or the folder matched back
/// when the file is lost (<see cref="LostOwners"/>); None otherwise.</param>
public sealed record UnloadedLayer(ChainID ChainID, Option<ChainID> Parent, Option<string> CacheId);

/// <summary>One folder a clean-up could remove, and why.</summary>
/// <param name="Path">Relative to the docker root.</param>
/// <param name="Reason">The problem kind that makes it removable.</param>
/// <param name="Note">One line for the plan, e.g. which leftover names it.</param>
public sealed record CleanupItem(string Path, ProblemKind Reason, string Note)
{
    /// <summary>Apparent size in bytes, once the shell has measured it.</summary>
    public Option<long> Bytes { get; init; }

    /// <summary>For a driver folder removed with a leftover layerdb folder: that leftover's path (the finding it goes with).</summary>
    public Option<string> Leftover { get; init; }
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
    public static RootCheckResult Run(MobyVersion version, DriverName driver, LayerDbSnapshot layerDb, LoadResult load, RootSnapshot root) =>
        Run(version, driver, LayerDbRead.Of(layerDb, version), load, root);

    /// <summary>Runs every check on a layerdb parsed as it was read.</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="driver">The chosen graph driver.</param>
    /// <param name="layerDb">The layerdb that was loaded.</param>
    /// <param name="load">Its load result.</param>
    /// <param name="root">Everything else the shell read.</param>
    public static RootCheckResult Run(MobyVersion version, DriverName driver, LayerDbRead layerDb, LoadResult load, RootSnapshot root)
    {
        var problems = new List<Problem>();
        problems.AddRange(ListingChecks.Check(version, layerDb, root));
        problems.AddRange(OversizedFiles.Check(layerDb));
        problems.AddRange(DepthChecks.Check(layerDb, load.Store));
        problems.AddRange(TarSplitChecks.Check(layerDb, load.Store, root));
        var (images, imageProblems, refuses) = ImageChecks.Check(version, layerDb, load.Store, root);
        var restore = ContainerRestore.Run(version, driver, layerDb.RelativePath, LayerStoreLoad.ListedMounts(layerDb.Mounts),
            load.Store.Mounts.Map(m => m.Name), root.Containers);
        var (driverProblems, orphans, owners) = DriverFolderChecks.Check(driver, layerDb, load.Store, root, images, restore);
        problems.AddRange(driverProblems);
        problems.AddRange(imageProblems);
        problems.AddRange(restore.Problems);
        var containers = toHashMap(restore.Containers.Map(c => (c.Id, c)));
        var refs = images.Filter(i => i.Loads).Choose(i => i.TopChainId)
            .GroupBy(c => c)
            .Select(g => (g.Key, g.Count()));
        var cleanup = orphans.Map(o => new CleanupItem(o, ProblemKind.OrphanDriverDir, "orphan driver folder"))
            + RemovableFolders.Leftovers(driver, layerDb, root, owners) + RemovableFolders.ShortLinks(driver, root, orphans);
        var sortedCleanup = cleanup.OrderBy(c => c.Path, StringComparer.Ordinal).ToSeq().Strict();
        // overlay2's Init fails on an l that is not a folder: the daemon refuses to start.
        refuses |= problems.Exists(p => p is { Kind: ProblemKind.OverlayLinkFolderInvalid, Fact: Fact.LinkFolderInvalid { Missing: false } });
        return new RootCheckResult(problems.ToSeq().Strict(), images, toHashMap(refs), containers, orphans, refuses, sortedCleanup)
        {
            DaemonCrashes = restore.DaemonCrashes,
            Repairs = Diagnostics.Repairs.Plan(driver, layerDb, load.Store, root, [.. load.Problems, .. problems], sortedCleanup, owners),
            Unloaded = UnloadedLayers(layerDb, load.Store, owners),
            ImageReferences = root.Repositories
                .Bind(file => file is RawFile.Content c ? RepositoriesJson.Parse(c.Bytes).ToOption() : None)
                .IfNone(default(HashMap<string, Seq<string>>)),
        };
    }

    /// <summary>The layer folders that did not load (<see cref="UnloadedLayer"/>), in chain-ID order.</summary>
    private static Seq<UnloadedLayer> UnloadedLayers(LayerDbRead layerDb, LayerStore store, LostOwners owners)
    {
        var loaded = store.Layers.Map(l => l.ChainID).ToHashSet();
        var matched = owners.Layers.ToDictionary(o => o.Value.Layer, o => o.Key);
        return layerDb.Layers
            .Filter((chain, _) => !loaded.Contains(chain))
            .Map((chain, folder) => new UnloadedLayer(chain, folder.ParentLink,
                folder.CacheIdText.Filter(DriverFolderChecks.IsPlainName) | (matched.TryGetValue(chain, out var found) ? Some(found) : None)))
            .Values.OrderBy(u => u.ChainID, ChainID.Ordinal).ToSeq().Strict();
    }
}
