using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>What a clean-up could remove beyond orphan folders: overlay2 short links and leftover layerdb folders.</summary>
internal static class RemovableFolders
{
    // overlay2's l/ links that dangle, or that lead into an orphan folder (they would dangle once it is gone).
    internal static Seq<CleanupItem> ShortLinks(DriverName driver, RootSnapshot root, Seq<string> orphans)
    {
        if (!DriverLayout.For(driver).HasShortLinks) return Empty;
        var orphanIds = orphans.Map(o => o[(driver.Value.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        var items = new List<CleanupItem>();
        foreach (var (name, link) in root.DriverHome.ShortLinks)
        {
            if (link.TargetExists && !orphanIds.Contains(link.TargetFolder)) continue;
            items.Add(new CleanupItem($"{driver}/l/{name}", link.TargetExists ? ProblemKind.OrphanDriverDir : ProblemKind.OverlaySymlinkDangling,
                link.TargetExists ? "short link into an orphan folder" : "dangling short link"));
        }
        return items.ToSeq().Strict();   // sorted by path with the rest of the cleanup
    }

    // A leftover layerdb folder, and its driver folder when nothing else names that cache ID (what moby's
    // own Cleanup removes for -removing folders at shutdown).
    internal static Seq<CleanupItem> Leftovers(DriverName driver, LayerDbRead layerDb, RootSnapshot root, LostOwners owners)
    {
        if (root.Leftovers.IsEmpty) return Empty;
        var layout = DriverLayout.For(driver);
        var others = DriverFolderChecks.ReferencedIds(layerDb, root with { Leftovers = default });
        var present = root.DriverHome.IdFolders.Find(layout.IdFolders.Head)
            .Map(l => l switch { DirectoryListing.Listed ls => ls.Entries.Map(e => e.Name).ToHashSet(StringComparer.Ordinal), _ => [] })
            .IfNone(() => []);
        // While a layerdb entry that may name a driver folder could not be read, no driver folder goes with a leftover: the
        // unread entry may be the one that still uses it (a mount-id moby reads through a link the check does not follow).
        // moby's own clean-up removes a -removing folder's driver folder at shutdown: a folder a leftover names is its.
        var unread = !DriverFolderChecks.UnreadNamers(layerDb, owners, static _ => true).IsEmpty;
        var items = new List<CleanupItem>();
        foreach (var (key, _) in root.Leftovers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var reason = key.StartsWith("tmp/", StringComparison.Ordinal) ? ProblemKind.StaleTransaction : ProblemKind.RemovalLeftover;
            items.Add(new CleanupItem(layerDb.RelativePath + "/" + key, reason, reason == ProblemKind.StaleTransaction ? "uncommitted layer transaction" : "layer folder left by an interrupted removal"));
            foreach (var cache in ListingChecks.CacheIdOf(root.Leftovers, key))
                if (layout.Decidable && !unread && !others.Contains(cache) && present.Contains(layout.EntryNameOf(cache)))
                    items.Add(new CleanupItem(layout.FolderOf(cache), reason, $"driver folder named only by {key}") { Leftover = layerDb.RelativePath + "/" + key });
        }
        return items.ToSeq().Strict();
    }
}
