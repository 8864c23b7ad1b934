using FsCheck.Xunit;

namespace LayerFunctional.Properties;

/// <summary>The core's iterative load against the naive recursive transcription of moby's.</summary>
public class OracleProperties
{
    [CasesProperty]
    public bool Core_load_equals_the_naive_transcription_of_moby(RandomStore store) =>
        Invariants.EqualsNaiveTranscription(store.Snapshot, Invariants.Load(store.Snapshot));
}
