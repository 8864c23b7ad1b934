using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;

[assembly: Properties(Arbitrary = new[] { typeof(LayerFunctional.Properties.StoreArbitraries) }, MaxTest = 200)]

namespace LayerFunctional.Properties;

/// <summary>Invariants of the load over random layerdbs (layer-store.md §4.4, §4.5, §4.9).</summary>
public class LoadProperties
{
    private static LoadResult Load(RandomStore s) => LayerStoreLoad.Load(s.Snapshot, MobyVersion.Default);

    [Property]
    public bool Reference_count_is_loaded_listed_children_plus_loaded_mounts(RandomStore store)
    {
        var r = Load(store);
        var listed = LayerStoreLoad.ListedLayers(store.Snapshot.Sha256, MobyVersion.Default).Map(c => c.ToString()).ToHashSet(StringComparer.Ordinal);
        return r.Store.Layers.ForAll(l =>
            l.ReferenceCount ==
                r.Store.Layers.Count(c => listed.Contains(c.ChainID.ToString()) && c.Parent.Map(p => p == l.ChainID).IfNone(false))
                + r.Store.Mounts.Count(m => m.Parent.Map(p => p == l.ChainID).IfNone(false)));
    }

    [Property]
    public bool Every_loaded_layer_has_its_ancestors_loaded(RandomStore store)
    {
        var r = Load(store);
        var loaded = r.Store.Layers.ToDictionary(l => l.ChainID.ToString(), StringComparer.Ordinal);
        return r.Store.Layers.ForAll(l => l.Parent.Match(
            Some: p => loaded.TryGetValue(p.ToString(), out var parent) && parent.Depth == l.Depth - 1,
            None: () => l.Depth == 1));
    }

    [Property]
    public bool Every_loaded_mount_has_its_parent_loaded(RandomStore store)
    {
        var r = Load(store);
        var loaded = r.Store.Layers.Map(l => l.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        return r.Store.Mounts.ForAll(m => m.Parent.Map(p => loaded.Contains(p.ToString())).IfNone(true));
    }

    [Property]
    public bool Skipped_layers_are_closed_under_descendants(RandomStore store)
    {
        var r = Load(store);
        var skipped = r.Store.SkippedLayers.Map(s => s.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        var listed = LayerStoreLoad.ListedLayers(store.Snapshot.Sha256, MobyVersion.Default);
        // Every listed folder whose parent file names a skipped layer is itself skipped.
        return listed.ForAll(child =>
            store.Snapshot.LayerDirs.Find(child.Digest.FolderKey).Case is not RawDirectory.Present dir
            || dir.Files.Find("parent").Case is not RawFile.Content parent
            || !skipped.Contains(System.Text.Encoding.UTF8.GetString(parent.Bytes).Trim())
            || skipped.Contains(child.ToString()));
    }

    [Property]
    public bool Every_listed_layer_is_loaded_or_skipped_exactly_once(RandomStore store)
    {
        var r = Load(store);
        var listed = LayerStoreLoad.ListedLayers(store.Snapshot.Sha256, MobyVersion.Default).Map(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        var seen = r.Store.Layers.Filter(l => l.Listed).Map(l => l.ChainID.ToString())
            .Concat(r.Store.SkippedLayers.Map(s => s.ChainID.ToString())).Order(StringComparer.Ordinal).ToList();
        return listed.SequenceEqual(seen, StringComparer.Ordinal)
               && r.Store.Mounts.Count + r.Store.SkippedMounts.Count == store.MountCount;
    }

    [Property]
    public bool Load_is_independent_of_listing_order(RandomStore store, int seed)
    {
        var entries = ((DirectoryListing.Listed)store.Snapshot.Sha256).Entries.ToArray();
        var mounts = ((DirectoryListing.Listed)store.Snapshot.Mounts).Entries.ToArray();
        var rng = new System.Random(seed);
        rng.Shuffle(entries);
        rng.Shuffle(mounts);
        var shuffled = store.Snapshot with
        {
            Sha256 = new DirectoryListing.Listed(entries.ToSeq()),
            Mounts = new DirectoryListing.Listed(mounts.ToSeq()),
        };
        return Load(store) == LayerStoreLoad.Load(shuffled, MobyVersion.Default);
    }

    [Property]
    public bool Loading_twice_gives_equal_results(RandomStore store) => Load(store) == Load(store);

    [Property]
    public Property Valid_stores_load_completely_with_no_problems() =>
        Prop.ForAll(StoreGen.ValidStores.ToArbitrary(), store =>
        {
            var r = Load(store);
            return r.Outcome == StoreOutcome.Loaded && r.Store.Layers.Count == store.LayerCount
                   && r.Store.Mounts.Count == store.MountCount && r.Problems.IsEmpty;
        });
}
