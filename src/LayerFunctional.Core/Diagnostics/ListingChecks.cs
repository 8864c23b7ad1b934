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
        if (root.Tmp is DirectoryListing.Listed tmp)
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

    /// <summary>The cache-id text of a leftover folder, trimmed as moby trims it, when it has a non-empty one.</summary>
    internal static Option<string> CacheIdOf(HashMap<string, RawDirectory> folders, string key) =>
        folders.Find(key).Bind(d => d.IdTextOf("cache-id"));

}
