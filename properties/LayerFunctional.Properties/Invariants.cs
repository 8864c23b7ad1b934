using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Properties;

/// <summary>
/// The load's invariants (layer-store.md §4.4, §4.5, §4.9) as plain predicates over a layerdb snapshot and
/// the core's load of it, so that random stores, generated roots and a replayed root on disk share them.
/// Each returns the name of the invariant that fails, or None.
/// </summary>
public static class Invariants
{
    public static LoadResult Load(LayerDbSnapshot s) => LayerStoreLoad.Load(s, MobyVersion.Default);

    public static bool ReferenceCounts(LayerDbSnapshot snapshot, LoadResult r)
    {
        var listed = LayerStoreLoad.ListedLayers(snapshot.Sha256, MobyVersion.Default).Map(c => c.ToString()).ToHashSet(StringComparer.Ordinal);
        return r.Store.Layers.ForAll(l =>
            l.ReferenceCount ==
                r.Store.Layers.Count(c => listed.Contains(c.ChainID.ToString()) && c.Parent.Map(p => p == l.ChainID).IfNone(false))
                + r.Store.Mounts.Count(m => m.Parent.Map(p => p == l.ChainID).IfNone(false)));
    }

    public static bool AncestorsLoad(LoadResult r)
    {
        var loaded = r.Store.Layers.ToDictionary(l => l.ChainID.ToString(), StringComparer.Ordinal);
        return r.Store.Layers.ForAll(l => l.Parent.Match(
            Some: p => loaded.TryGetValue(p.ToString(), out var parent) && parent.Depth == l.Depth - 1,
            None: () => l.Depth == 1));
    }

    public static bool MountParentsLoad(LoadResult r)
    {
        var loaded = r.Store.Layers.Map(l => l.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        return r.Store.Mounts.ForAll(m => m.Parent.Map(p => loaded.Contains(p.ToString())).IfNone(true));
    }

    public static bool SkippedClosedUnderDescendants(LayerDbSnapshot snapshot, LoadResult r)
    {
        var skipped = r.Store.SkippedLayers.Map(s => s.ChainID.ToString()).ToHashSet(StringComparer.Ordinal);
        // Every listed folder whose parent file names a skipped layer is itself skipped.
        return LayerStoreLoad.ListedLayers(snapshot.Sha256, MobyVersion.Default).ForAll(child =>
            snapshot.LayerDirs.Find(child).Case is not RawDirectory.Present dir
            || dir.Files.Find("parent").Case is not RawFile.Content parent
            || !skipped.Contains(System.Text.Encoding.UTF8.GetString(parent.Bytes).Trim())
            || skipped.Contains(child.ToString()));
    }

    public static bool ListedLoadedOrSkippedOnce(LayerDbSnapshot snapshot, LoadResult r)
    {
        var listed = LayerStoreLoad.ListedLayers(snapshot.Sha256, MobyVersion.Default).Map(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        var seen = r.Store.Layers.Filter(l => l.Listed).Map(l => l.ChainID.ToString())
            .Concat(r.Store.SkippedLayers.Map(s => s.ChainID.ToString())).Order(StringComparer.Ordinal).ToList();
        return listed.SequenceEqual(seen, StringComparer.Ordinal)
               && r.Store.Mounts.Count + r.Store.SkippedMounts.Count == LayerStoreLoad.ListedMounts(snapshot.Mounts).Count;
    }

    public static bool IndependentOfListingOrder(LayerDbSnapshot snapshot, int seed)
    {
        if (snapshot.Sha256 is not DirectoryListing.Listed sha || snapshot.Mounts is not DirectoryListing.Listed mnt) return true;
        var entries = sha.Entries.ToArray();
        var mounts = mnt.Entries.ToArray();
        var rng = new System.Random(seed);
        rng.Shuffle(entries);
        rng.Shuffle(mounts);
        var shuffled = snapshot with { Sha256 = new DirectoryListing.Listed(entries.ToSeq()), Mounts = new DirectoryListing.Listed(mounts.ToSeq()) };
        return Load(snapshot) == Load(shuffled);
    }

    public static bool LoadTwiceEqual(LayerDbSnapshot snapshot) => Load(snapshot) == Load(snapshot);

    public static bool EqualsNaiveTranscription(LayerDbSnapshot snapshot, LoadResult core)
    {
        var (layers, mounts) = new NaiveLoader(snapshot, MobyVersion.Default).Run();
        var coreLayers = core.Store.Layers.ToDictionary(l => l.ChainID.ToString(), l => l.ReferenceCount, StringComparer.Ordinal);
        return coreLayers.Count == layers.Count
               && coreLayers.All(kv => layers.TryGetValue(kv.Key, out var n) && n == kv.Value)
               && core.Store.Mounts.Map(m => m.Name.Value).SequenceEqual(mounts.Order(StringComparer.Ordinal));
    }

    /// <summary>Every invariant that fails on a snapshot (empty when all hold).</summary>
    public static Seq<string> Failing(LayerDbSnapshot snapshot)
    {
        var r = Load(snapshot);
        var failing = Seq<string>.Empty;
        // A layerdb moby cannot open (a listing fails): the daemon does not start and nothing loads.
        if (r.Outcome == StoreOutcome.Aborted)
            return r.Store.Layers.IsEmpty && r.Store.Mounts.IsEmpty && LoadTwiceEqual(snapshot) ? failing : failing.Add("an aborted load loads nothing");
        if (!ReferenceCounts(snapshot, r)) failing = failing.Add("reference count = loaded listed children + loaded mounts");
        if (!AncestorsLoad(r)) failing = failing.Add("every loaded layer's ancestors load");
        if (!MountParentsLoad(r)) failing = failing.Add("every loaded mount's parent loads");
        if (!SkippedClosedUnderDescendants(snapshot, r)) failing = failing.Add("skipped set closed under descendants");
        if (!ListedLoadedOrSkippedOnce(snapshot, r)) failing = failing.Add("every listed layer loaded or skipped once");
        if (!IndependentOfListingOrder(snapshot, 1)) failing = failing.Add("independent of listing order");
        if (!LoadTwiceEqual(snapshot)) failing = failing.Add("loading twice gives equal results");
        if (!EqualsNaiveTranscription(snapshot, r)) failing = failing.Add("equals the naive transcription of moby");
        return failing;
    }
}
