using FsCheck.Xunit;
using LanguageExt;
using LayerFunctional.Graph;

namespace LayerFunctional.Properties;

/// <summary>The core's iterative load against the naive recursive transcription of moby's.</summary>
public class OracleProperties
{
    [Property]
    public bool Core_load_equals_the_naive_transcription_of_moby(RandomStore store)
    {
        var core = LayerStoreLoad.Load(store.Snapshot, MobyVersion.Default);
        var (layers, mounts) = new NaiveLoader(store.Snapshot, MobyVersion.Default).Run();
        var coreLayers = core.Store.Layers.ToDictionary(l => l.ChainID.ToString(), l => l.ReferenceCount, StringComparer.Ordinal);
        return coreLayers.Count == layers.Count
               && coreLayers.All(kv => layers.TryGetValue(kv.Key, out var n) && n == kv.Value)
               && core.Store.Mounts.Map(m => m.Name).SequenceEqual(mounts.Order(StringComparer.Ordinal));
    }
}
