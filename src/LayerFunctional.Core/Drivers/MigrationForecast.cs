using System.Globalization;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Drivers;

/// <summary>
/// What <c>features.containerd-migration</c> does at the next start (moby 29.0+, <c>daemon/daemon.go</c> <c>NewDaemon</c>
/// after the layer store is made, and <c>daemon/containerd/migration/migration.go</c>): whether dockerd moves the graph
/// driver's images into the containerd image store, and whether that leaves them visible.
/// </summary>
public abstract record MigrationForecast
{
    private MigrationForecast() { }

    /// <summary><c>features.containerd-migration</c> is not set: nothing to forecast.</summary>
    public sealed record NotRequested : MigrationForecast;

    /// <summary>Why no migration is attempted although the feature is set: the release has none (before 29.0), dockerd uses the
    /// containerd store already or does not start, the driver has no migration (only overlay2 and vfs do), or containers
    /// use the driver.</summary>
    /// <param name="Why">One sentence.</param>
    public sealed record NotAttempted(string Why) : MigrationForecast;

    /// <summary>The images' size is over the threshold: dockerd stays on the graph driver.</summary>
    /// <param name="Images">Images in the image store.</param>
    /// <param name="TotalBytes">The sum of each image's top layer size (what moby compares).</param>
    /// <param name="Threshold">The threshold in bytes (<c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c>; 0 when unset).</param>
    public sealed record StaysOnGraphDriver(int Images, long TotalBytes, long Threshold) : MigrationForecast;

    /// <summary>dockerd switches to the containerd snapshotter and, when there are images, copies them over.</summary>
    /// <param name="Snapshotter">overlayfs (from overlay2) or native (from vfs).</param>
    /// <param name="Images">Images to copy (0: the switch alone).</param>
    /// <param name="TotalBytes">Their top layers' sizes summed.</param>
    /// <param name="Threshold">The threshold in bytes.</param>
    /// <param name="ContainerdImages">Images the containerd store holds already: when any, nothing is copied and the graph
    /// driver's images are visible in neither store.</param>
    /// <param name="Failing">The layers whose tar stream cannot be read (tar-split missing or damaged, driver folder gone,
    /// content that does not hash), by path: the copy stops at the first it meets and the images are visible in neither store.</param>
    public sealed record Switches(string Snapshotter, int Images, long TotalBytes, long Threshold, int ContainerdImages, Seq<Problem> Failing) : MigrationForecast;

    /// <summary>The forecast, and the findings it makes (<c>containerd_migration_fails</c>, one per layer at fault;
    /// <c>containerd_migration_hides_images</c>).</summary>
    /// <param name="version">Rule set.</param>
    /// <param name="config">The daemon.json (its <c>features.containerd-migration</c>).</param>
    /// <param name="threshold"><c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c> as set, if set.</param>
    /// <param name="driver">The driver decision.</param>
    /// <param name="store">The layerdb's load.</param>
    /// <param name="images">The imagedb's images.</param>
    /// <param name="containers">The container configs.</param>
    /// <param name="problems">The check's problems (the tar-split, driver-folder and content findings of each layer).</param>
    /// <param name="containerdImages">Images the containerd store holds (0 when it has none or there is none).</param>
    /// <param name="containerdMetaDb">The containerd store's <c>meta.db</c>, named by the hiding finding.</param>
    public static (MigrationForecast Forecast, Seq<Problem> Problems) Of(MobyVersion version, DaemonConfig config, Option<string> threshold,
        DriverDecision driver, LayerStore store, Seq<ImageInfo> images, HashMap<MountName, ContainerInfo> containers, Seq<Problem> problems,
        int containerdImages, string containerdMetaDb)
    {
        if (!config.ContainerdMigration.IfNone(false)) return (new NotRequested(), Empty);
        if (!version.AtLeast(29)) return (new NotAttempted($"moby {version} has no migration to the containerd image store (from 29.0)"), Empty);
        if (driver.Outcome != Outcome.Loaded || !driver.Name.TrySome(out var name))
            return (new NotAttempted(driver.Snapshotter.IsSome ? "dockerd uses the containerd image store already" : "dockerd does not load a graph driver"), Empty);
        var limit = ThresholdBytes(threshold);
        var on = containers.Values.Count(c => c.Fate != ContainerFate.NotLoaded && c.Driver == Some(name));
        if (on > 0) return (new NotAttempted($"{on} container(s) use {name}: moby migrates only a driver no container uses"), Empty);
        if (!SnapshotterFor(name).TrySome(out var snapshotter)) return (new NotAttempted($"moby has no migration for {name} (only overlay2 and vfs)"), Empty);
        if (limit < 0) return (new NotAttempted("DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD overflows: moby reads it as negative"), Empty);
        var graph = LayerGraph.Of(store);
        var restored = images.Filter(i => i.Loads).Strict();
        var tops = restored.Choose(i => i.TopChainId.Bind(graph.IndexOf)).Strict();
        var total = tops.Map(i => graph[i].Size).Sum();
        if (total > limit) return (new StaysOnGraphDriver(restored.Count, total, limit), Empty);
        if (restored.IsEmpty) return (new Switches(snapshotter, 0, total, limit, containerdImages, Empty), Empty);
        // Every layer of every image is streamed (Layer.TarStream): one that cannot be stops the copy.
        var chains = new System.Collections.Generic.HashSet<ChainID>();
        foreach (var top in tops)
            for (var at = top; at >= 0 && chains.Add(graph[at].ChainID); at = graph.ParentOf(at)) { }
        var failing = problems.Filter(p => p.Severity == Severity.Error && p.CausedBy.IsNone
                && p.Kind is ProblemKind.TarSplitMissing or ProblemKind.TarSplitInvalid or ProblemKind.CacheDirMissing or ProblemKind.LayerContentMismatch
                && p.ChainId.Exists(chains.Contains))
            .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Strict();
        var found = failing.Map(p => new Problem(ProblemKind.ContainerdMigrationFails, Severity.Error, p.Path, p.ChainId, None, None,
            new Fact.MigrationStops(p.Kind, restored.Count))).Strict();
        var hides = containerdImages > 0
            ? Seq1(new Problem(ProblemKind.ContainerdMigrationHidesImages, Severity.Warning, containerdMetaDb, None, None, None,
                new Fact.MigrationHidesImages(restored.Count, containerdImages, name)))
            : Empty;
        return (new Switches(snapshotter, restored.Count, total, limit, containerdImages, failing), found + hides);
    }

    /// <summary>The snapshotter a driver migrates to: overlay2 → overlayfs, vfs → native; None for any other.</summary>
    /// <param name="driver">A graph driver.</param>
    public static Option<string> SnapshotterFor(DriverName driver) => driver.Value switch
    {
        "overlay2" => "overlayfs",
        "vfs" => "native",
        _ => None,
    };

    /// <summary><c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c> as moby reads it (go-units <c>FromHumanSize</c>: a number, an
    /// optional space, an optional decimal unit k, m, g, t, p with an optional b or ib, any case); unset or invalid is 0 (moby
    /// warns "Invalid migration threshold value, defaulting to 0"); a value past 2⁶³ converts to a negative number, as Go's
    /// float-to-int conversion does on amd64.</summary>
    /// <param name="text">The variable's value, if set.</param>
    /// <returns>Bytes.</returns>
    public static long ThresholdBytes(Option<string> text) => text.Bind(FromHumanSize).IfNone(0);

    /// <summary>Whether moby reads <paramref name="text"/> as a size (<see cref="ThresholdBytes"/>); false when it warns
    /// "Invalid migration threshold value, defaulting to 0".</summary>
    /// <param name="text">A value of <c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c>.</param>
    public static bool IsThreshold(string text) => FromHumanSize(text).IsSome;

    /// <summary>What dockerd says of a threshold it cannot read as a size (<see cref="IsThreshold"/>), and what the forecast
    /// does with it; None for a size.</summary>
    /// <param name="text">A value of <c>DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD</c> (layerfn's <c>--migrate-threshold</c>).</param>
    public static Option<string> ThresholdWarning(string text) => IsThreshold(text)
        ? None
        : Some($"--migrate-threshold {text} is not a size: dockerd warns \"Invalid migration threshold value, defaulting to 0\", and the forecast takes 0 too");

    private static Option<long> FromHumanSize(string text)
    {
        var sep = text.LastIndexOfAny("01234567890. ".ToCharArray());
        if (sep < 0) return None;
        var (num, suffix) = text[sep] != ' ' ? (text[..(sep + 1)], text[(sep + 1)..]) : (text[..sep], text[(sep + 1)..]);
        // Go's ParseFloat: no surrounding space, an optional sign, digits, a point, an exponent.
        if (!double.TryParse(num, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var size)
            || double.IsInfinity(size) || size < 0)
            return None;
        if (suffix.Length > 0)
        {
            if (suffix.Length > 3) return None;
            var s = suffix.ToLowerInvariant();
            if (s[0] == 'b') return s.Length > 1 ? None : Some(ToInt64(size));
            var unit = s[0] switch { 'k' => 1e3, 'm' => 1e6, 'g' => 1e9, 't' => 1e12, 'p' => 1e15, _ => 0d };
            if (unit == 0 || (s.Length == 2 && s[1] != 'b') || (s.Length == 3 && s[1..] != "ib")) return None;
            size *= unit;
        }
        return ToInt64(size);
    }

    // Go's int64(float64) on amd64: out of range gives the minimum value.
    private static long ToInt64(double value) => value >= 9.2233720368547758e18 ? long.MinValue : (long)value;
}
