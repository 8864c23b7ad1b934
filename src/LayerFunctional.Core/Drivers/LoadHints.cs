using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Drivers;

/// <summary>
/// Command-line options that make the tool load a layerdb the chosen rules leave alone: when the
/// daemon would not start, or would use containerd's store, the user can still see the graph-driver
/// layer store that is on disk.
/// </summary>
public static class LoadHints
{
    /// <summary>Suggestions such as <c>--driver overlay2</c> or <c>--moby-version 23.0 --driver aufs</c>.</summary>
    /// <param name="version">The rules in force.</param>
    /// <param name="decision">The driver decision.</param>
    /// <param name="layerDbDrivers">Drivers that have an <c>image/&lt;driver&gt;/layerdb</c> folder.</param>
    /// <returns>Sorted suggestions; empty when the layerdb is loaded as it stands.</returns>
    public static Seq<string> For(MobyVersion version, DriverDecision decision, Seq<DriverName> layerDbDrivers)
    {
        var candidates = layerDbDrivers.Filter(d => decision.Name.Map(n => n != d).IfNone(true));
        if (decision.Outcome == Outcome.Loaded && candidates.IsEmpty) return Empty;
        return candidates
            .Filter(d => DriverSelection.AllDriverNames.Contains(d))
            .Map(d => version.RegisteredDrivers.Contains(d) && !version.RemovedDrivers.Contains(d)
                ? $"--driver {d}"
                : $"--moby-version {NewestRegistering(d)} --driver {d}")
            .OrderBy(h => h, StringComparer.Ordinal).ToSeq().Strict();
    }

    private static string NewestRegistering(DriverName driver) =>
        MobyVersion.Known.Filter(v => v.RegisteredDrivers.Contains(driver) && !v.RemovedDrivers.Contains(driver))
            .LastOrNone().Map(v => v.ToString()).IfNone("20.10");
}
