using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;

namespace LayerFunctional.Properties;

/// <summary>
/// A deliberately naive transcription of moby's <c>newStoreFromGraphDriver</c> (layer_store.go): recursive
/// <c>loadLayer</c> that stores only successes, <c>referenceCount++</c> on the parent of each listed layer that
/// loads, then <c>loadMount</c> per mount. The only addition is a guard against parent cycles (moby recurses
/// until it crashes). Used as an oracle against the core's iterative load.
/// </summary>
public sealed class NaiveLoader(LayerDbSnapshot snapshot, MobyVersion version)
{
    private sealed class RoLayer
    {
        public required LayerFolder Folder { get; init; }
        public int ReferenceCount { get; set; }
    }

    private readonly Dictionary<string, RoLayer> layerMap = new(StringComparer.Ordinal);
    private readonly System.Collections.Generic.HashSet<string> visiting = new(StringComparer.Ordinal);

    public (Dictionary<string, int> Layers, List<string> Mounts) Run()
    {
        foreach (var id in LayerStoreLoad.ListedLayers(snapshot.Sha256, version))
        {
            var l = LoadLayer(id);
            if (l is not null && l.Folder.Parent.Case is ChainID p) layerMap[p.ToString()].ReferenceCount++;
        }
        var mounts = new List<string>();
        foreach (var name in LayerStoreLoad.ListedMounts(snapshot.Mounts))
        {
            if (snapshot.MountDirs.Find(name.Value).Case is not RawDirectory.Present dir) continue;
            if (MountFolderParser.Parse(name.Value, "m", dir, version).Case is not MountFolder m) continue;
            if (m.Parent.Case is ChainID parent)
            {
                var pl = LoadLayer(parent);
                if (pl is null) continue;
                pl.ReferenceCount++;
            }
            mounts.Add(name.Value);
        }
        return (layerMap.ToDictionary(kv => kv.Key, kv => kv.Value.ReferenceCount, StringComparer.Ordinal), mounts);
    }

    private RoLayer? LoadLayer(ChainID id)
    {
        var key = id.ToString();
        if (layerMap.TryGetValue(key, out var existing)) return existing;
        if (!visiting.Add(key)) return null;   // the guard moby lacks
        try
        {
            if (snapshot.LayerDirs.Find(id).Case is not RawDirectory.Present dir) return null;
            if (LayerFolderParser.Parse(id, "f", dir, version).Case is not LayerFolder folder) return null;
            if (folder.Parent.Case is ChainID parent && LoadLayer(parent) is null) return null;
            var layer = new RoLayer { Folder = folder };
            layerMap[key] = layer;
            return layer;
        }
        finally
        {
            visiting.Remove(key);
        }
    }
}
