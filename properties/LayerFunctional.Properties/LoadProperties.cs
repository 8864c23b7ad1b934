using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LayerFunctional.Graph;

[assembly: Properties(Arbitrary = new[] { typeof(LayerFunctional.Properties.StoreArbitraries), typeof(LayerFunctional.Properties.RootCaseArbitraries) }, MaxTest = 1000)]

namespace LayerFunctional.Properties;

/// <summary>Invariants of the load over random layerdbs built directly as snapshots (<see cref="StoreGen"/>:
/// cycles of any length, unlisted parents, self-parents, broken files), layer-store.md §4.4, §4.5, §4.9.</summary>
public class LoadProperties
{
    [CasesProperty]
    public bool Reference_count_is_loaded_listed_children_plus_loaded_mounts(RandomStore store) =>
        Invariants.ReferenceCounts(store.Snapshot, Invariants.Load(store.Snapshot));

    [CasesProperty]
    public bool Every_loaded_layer_has_its_ancestors_loaded(RandomStore store) => Invariants.AncestorsLoad(Invariants.Load(store.Snapshot));

    [CasesProperty]
    public bool Every_loaded_mount_has_its_parent_loaded(RandomStore store) => Invariants.MountParentsLoad(Invariants.Load(store.Snapshot));

    [CasesProperty]
    public bool Skipped_layers_are_closed_under_descendants(RandomStore store) =>
        Invariants.SkippedClosedUnderDescendants(store.Snapshot, Invariants.Load(store.Snapshot));

    [CasesProperty]
    public bool Every_listed_layer_is_loaded_or_skipped_exactly_once(RandomStore store) =>
        Invariants.ListedLoadedOrSkippedOnce(store.Snapshot, Invariants.Load(store.Snapshot));

    [CasesProperty]
    public bool Load_is_independent_of_listing_order(RandomStore store, int seed) => Invariants.IndependentOfListingOrder(store.Snapshot, seed);

    [CasesProperty]
    public bool Loading_twice_gives_equal_results(RandomStore store) => Invariants.LoadTwiceEqual(store.Snapshot);

    [CasesProperty]
    public Property Valid_stores_load_completely_with_no_problems() =>
        Prop.ForAll(StoreGen.ValidStores.ToArbitrary(), store =>
        {
            var r = Invariants.Load(store.Snapshot);
            return r.Outcome == StoreOutcome.Loaded && r.Store.Layers.Count == store.LayerCount
                   && r.Store.Mounts.Count == store.MountCount && r.Problems.IsEmpty;
        });
}
