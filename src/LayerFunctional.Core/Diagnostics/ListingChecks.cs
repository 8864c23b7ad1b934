using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>What moby's listing of <c>layerdb/sha256</c> skips, and the folders an interrupted removal or transaction
/// leaves behind (layer-store.md §3, §1.4, §1.8).</summary>
internal static class ListingChecks
{
    // §3, §1.4, §1.8: what the listing skips, and what moby leaves behind.
    internal static IEnumerable<Problem> Check(MobyVersion version, LayerDbRead layerDb, RootSnapshot root)
    {
        if (layerDb.Sha256 is DirectoryListing.Listed listed)
        {
            // layerDb.Sha256 holds only the entries the listing does not return as layer folders.
            foreach (var e in listed.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var path = layerDb.RelativePath + "/sha256/" + e.Name;
                if (e.Type == EntryType.Symlink)
                    yield return new Problem(ProblemKind.LayerDirIsSymlink, Severity.Warning, path, None, None, None, new Fact.LayerFolderIsSymlink(e.Name));
                else if (e.Type == EntryType.Directory && e.Name.EndsWith("-removing", StringComparison.Ordinal)
                         && Digest.Parse("sha256:" + e.Name.Split('-')[0], MobyVersion.Default).IsRight)
                {
                    var cache = CacheIdOf(root.Leftovers, "sha256/" + e.Name);
                    yield return new Problem(ProblemKind.RemovalLeftover, Severity.Warning, path, None, None, cache,
                        new Fact.RemovalLeftover(RemovedAtShutdown: version.AtLeast(20, 10)));
                }
                else
                    yield return new Problem(ProblemKind.InvalidLayerDirEntry, Severity.Warning, path, None, None, None,
                        new Fact.InvalidLayerFolderName(e.Name, e.Type, version.AcceptsUpperCaseHex));
            }
        }
        if (root.Tmp is DirectoryListing.Listed tmp)
            foreach (var e in tmp.Entries.Filter(e => e.Name.StartsWith("write-set-", StringComparison.Ordinal)).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var key = "tmp/" + e.Name;
                var cache = CacheIdOf(root.Leftovers, key);
                var empty = root.Leftovers.Find(key).Map(d => d switch { RawDirectory.Present p => p.EntryNames.IsEmpty, _ => false }).IfNone(false);
                yield return new Problem(ProblemKind.StaleTransaction, Severity.Warning, layerDb.RelativePath + "/" + key, None, None, cache,
                    new Fact.StaleTransaction(empty));
            }
    }

    /// <summary>The cache-id text of a leftover folder, trimmed as moby trims it, when it has a non-empty one.</summary>
    internal static Option<string> CacheIdOf(HashMap<string, RawDirectory> folders, string key) =>
        folders.Find(key).Bind(d => d.IdTextOf("cache-id"));

}
