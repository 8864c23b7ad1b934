using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Drivers;

/// <summary>
/// The settings of a <c>daemon.json</c> that decide which image store dockerd uses (moby <c>daemon/config</c>). Absent
/// keys are None: an absent file is <see cref="None"/>, the defaults (no driver named, no feature set).
/// </summary>
/// <param name="StorageDriver"><c>storage-driver</c>: the graph driver (or, from 29.0, the snapshotter) named.</param>
/// <param name="ContainerdSnapshotter"><c>features.containerd-snapshotter</c>.</param>
/// <param name="ContainerdMigration"><c>features.containerd-migration</c>.</param>
/// <param name="DataRoot"><c>data-root</c>: where dockerd keeps its root, as written (for library callers: the check examines
/// the root it is given and neither follows nor compares this one).</param>
public sealed record DaemonConfig(Option<DriverName> StorageDriver, Option<bool> ContainerdSnapshotter, Option<bool> ContainerdMigration, Option<string> DataRoot)
{
    /// <summary>No <c>daemon.json</c>: nothing named, no feature set.</summary>
    public static DaemonConfig None { get; } = new(default, default, default, default);

    /// <summary>This file's settings beside the graph driver named on dockerd's command line (moby <c>daemon/config</c>
    /// <c>findConfigurationConflicts</c>: a directive given both as a flag and in the file is refused, even with the same
    /// value). Left: why dockerd refuses to start.</summary>
    /// <param name="driverFlag">The driver named with <c>--storage-driver</c> (layerfn's <c>--driver</c>).</param>
    /// <param name="file">The file's path, as the user gave it (for the message).</param>
    public Either<string, DaemonConfig> WithDriverFlag(Option<DriverName> driverFlag, string file) =>
        driverFlag.IsSome && StorageDriver.IsSome
            ? Left<string, DaemonConfig>($"the storage driver is given both as --driver {driverFlag.IfNone("")} and in {file} as {StorageDriver.IfNone("")}: dockerd refuses to start on a directive given both as a flag and in its configuration file")
            : Right<string, DaemonConfig>(this);

    /// <summary>Parses a <c>daemon.json</c>: a JSON object; the keys above are read when they have the right type (a string;
    /// <c>features</c> an object of booleans), every other key is ignored. Left: why the file is not a JSON object, or a key
    /// of the wrong type (dockerd refuses to start on such a file).</summary>
    /// <param name="bytes">The file's bytes.</param>
    public static Either<string, DaemonConfig> Parse(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            return $"not valid JSON: {e.Message}";
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "not a JSON object";
            Either<string, Option<string>> Text(JsonElement at, string key) =>
                !at.TryGetProperty(key, out var v) ? Right<string, Option<string>>(default)
                : v.ValueKind == JsonValueKind.String ? Right<string, Option<string>>(Some(v.GetString() ?? ""))
                : Left<string, Option<string>>($"\"{key}\" is not a string");
            Either<string, Option<bool>> Flag(JsonElement at, string key) =>
                !at.TryGetProperty(key, out var v) ? Right<string, Option<bool>>(default)
                : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? Right<string, Option<bool>>(Some(v.GetBoolean()))
                : Left<string, Option<bool>>($"\"features\".\"{key}\" is not a boolean");
            var features = root.TryGetProperty("features", out var f) ? Some(f) : Option<JsonElement>.None;
            if (features.Exists(x => x.ValueKind != JsonValueKind.Object)) return "\"features\" is not an object";
            // Bind chains, not LINQ queries: LanguageExt's query operators over Either break under Native AOT.
            Either<string, Option<bool>> Feature(string key) => features.Match(Some: x => Flag(x, key), None: () => Right<string, Option<bool>>(default));
            return Text(root, "storage-driver").Bind(driver =>
                Text(root, "data-root").Bind(dataRoot =>
                    Feature("containerd-snapshotter").Bind(snapshotter =>
                        Feature("containerd-migration").Map(migration =>
                            new DaemonConfig(driver.Filter(d => d.Length > 0).Map(d => new DriverName(d)), snapshotter, migration, dataRoot)))));
        }
    }
}

/// <summary>The image store dockerd picks at start-up (moby <c>daemon/image_store_choice.go</c> <c>imageStoreChoice</c>).</summary>
public enum ImageStore
{
    /// <summary><c>containerd-by-default</c>: 29.0+, nothing named and no prior graph-driver state.</summary>
    ContainerdByDefault,
    /// <summary><c>containerd-explicit</c>: <c>features.containerd-snapshotter</c> true, or (29.x) a driver name that is a
    /// snapshotter's.</summary>
    ContainerdExplicit,
    /// <summary><c>graphdriver-by-default</c>: before 29.0 with no feature set.</summary>
    GraphdriverByDefault,
    /// <summary><c>graphdriver-explicit</c>: a graph driver named, or <c>features.containerd-snapshotter</c> false.</summary>
    GraphdriverExplicit,
    /// <summary><c>graphdriver-prior</c>: 29.0+, would be containerd, but a registered driver (vfs aside) has prior state.</summary>
    GraphdriverPrior,
}

/// <summary>moby's image store decision, release by release, as a pure function of the configuration and the root.</summary>
public static class ImageStoreChoice
{
    /// <summary>The graph driver whose store a host that moved to the containerd image store no longer shows: the first
    /// driver with prior state that has a layerdb, else the first driver with a layerdb (<c>image/&lt;driver&gt;/layerdb</c>).</summary>
    /// <param name="decision">The driver decision (its prior state, in moby's priority order).</param>
    /// <param name="layerDbDrivers">The drivers that have a layerdb, in ordinal order.</param>
    /// <returns>The driver's name; None when no driver has a layerdb.</returns>
    public static Option<DriverName> HiddenGraphDriver(DriverDecision decision, Seq<DriverName> layerDbDrivers) =>
        decision.PriorState.Find(d => layerDbDrivers.Exists(x => x == d)) || layerDbDrivers.HeadOrNone();

    /// <summary>The moby name of a choice (<c>graphdriver-prior</c>, …).</summary>
    /// <param name="store">A choice.</param>
    public static string Id(this ImageStore store) => store switch
    {
        ImageStore.ContainerdByDefault => "containerd-by-default",
        ImageStore.ContainerdExplicit => "containerd-explicit",
        ImageStore.GraphdriverByDefault => "graphdriver-by-default",
        ImageStore.GraphdriverExplicit => "graphdriver-explicit",
        _ => "graphdriver-prior",
    };

    /// <summary>Whether the choice uses the graph-driver layer store.</summary>
    /// <param name="store">A choice.</param>
    public static bool IsGraphDriver(this ImageStore store) => store is not (ImageStore.ContainerdByDefault or ImageStore.ContainerdExplicit);

    private static bool IsExplicit(this ImageStore store) => store is ImageStore.GraphdriverExplicit or ImageStore.ContainerdExplicit;

    /// <summary>
    /// Which image store dockerd uses (Linux). Right: the choice; Left: dockerd's start-up error.
    /// <list type="bullet">
    /// <item>Before 24.0: the graph driver (no containerd store).</item>
    /// <item>24.0–28.x (<c>daemon/daemon.go</c> <c>UsesSnapshotter</c>): the containerd store only with
    /// <c>features.containerd-snapshotter</c> true.</item>
    /// <item>29.0 (<c>image_store_choice.go</c> at <c>docker-v29.0.0</c>, <c>determineImageStoreChoice</c>): the feature decides
    /// when set; then a named driver: overlay2, vfs and btrfs mean the graph driver (refused when not registered), any
    /// other name a containerd snapshotter of that name; then, with nothing named, prior state means
    /// <c>graphdriver-prior</c>, else containerd.</item>
    /// <item>29.1+ (commit 391247ce96, "Fix image store choice priority for prior graphdriver state"): prior state is checked
    /// before the named driver; a named driver that is a registered graph driver means the graph driver, any other name a
    /// snapshotter (refused only when the feature is false).</item>
    /// </list>
    /// </summary>
    /// <param name="version">The release.</param>
    /// <param name="driver">The driver named (<c>--storage-driver</c>, <c>storage-driver</c>, <c>DOCKER_DRIVER</c>).</param>
    /// <param name="snapshotterFeature"><c>features.containerd-snapshotter</c>, when set.</param>
    /// <param name="hasPriorDriver">Whether a registered driver other than vfs has a non-empty folder in the root
    /// (<c>graphdriver.HasPriorDriver</c>).</param>
    public static Either<string, ImageStore> Determine(MobyVersion version, Option<DriverName> driver, Option<bool> snapshotterFeature, bool hasPriorDriver)
    {
        if (!version.AtLeast(24)) return driver.IsSome ? ImageStore.GraphdriverExplicit : ImageStore.GraphdriverByDefault;
        if (!version.AtLeast(29))
            return snapshotterFeature.Match(
                Some: on => on ? ImageStore.ContainerdExplicit : ImageStore.GraphdriverExplicit,
                None: () => driver.IsSome ? ImageStore.GraphdriverExplicit : ImageStore.GraphdriverByDefault);
        bool Registered(DriverName name) => version.RegisteredDrivers.Contains(name);
        var store = snapshotterFeature.Match(Some: on => on ? ImageStore.ContainerdExplicit : ImageStore.GraphdriverExplicit, None: () => ImageStore.ContainerdByDefault);
        string NotRegistered(DriverName name) => $"graphdriver is explicitly enabled but \"{name}\" is not registered";
        if (version.AtLeast(29, 1))
        {
            if (store == ImageStore.ContainerdByDefault && hasPriorDriver) return ImageStore.GraphdriverPrior;
            if (driver.TrySome(out var named))
            {
                if (!store.IsExplicit() && Registered(named)) return ImageStore.GraphdriverExplicit;
                if (store.IsGraphDriver()) return Registered(named) ? ImageStore.GraphdriverExplicit : NotRegistered(named);
                return ImageStore.ContainerdExplicit;   // a snapshotter of that name
            }
            return store;
        }
        if (driver.TrySome(out var name))
        {
            if (!store.IsExplicit() && name.Value is "vfs" or "overlay2" or "btrfs") store = ImageStore.GraphdriverExplicit;
            if (store.IsGraphDriver()) return Registered(name) ? ImageStore.GraphdriverExplicit : NotRegistered(name);
            return ImageStore.ContainerdExplicit;   // "Assume snapshotter is chosen"
        }
        return store == ImageStore.ContainerdByDefault && hasPriorDriver ? ImageStore.GraphdriverPrior : store;
    }
}
