using BenchmarkDotNet.Attributes;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;


namespace LayerFunctional.Benchmarks;

/// <summary>
/// Each stage of <c>layerfn check</c> on an in-memory root of <see cref="Layers"/> layers and <c>Layers / 10</c> mounts: the
/// reads (the layerdb, then the rest of the root, parsed as they are read), moby's load, reading the reference counts,
/// recomputing every ChainID, the root checks, and the last pure step to the report. BenchmarkDotNet reports the
/// wall-clock time of one call (Mean, in the unit it prints: ms or s) and, through
/// <see cref="MemoryDiagnoserAttribute"/>, the bytes allocated on the managed heap by one call (Allocated,
/// KB = 1,024 bytes). Nothing here reads the disk: the root is generated into memory in <see cref="Setup"/>, which is not
/// timed; the two read stages go through the same <see cref="DockerRootReader"/> as the disk, over that in-memory root.
/// </summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private static readonly MobyVersion Version = MobyVersion.Default;
    private static readonly DriverName Driver = DriverName.Overlay2;

    private InMemoryRootFileSystem files = null!;
    private LayerDbRead snapshot = null!;
    private LoadResult load = null!;
    private RootSnapshot root = null!;
    private RootCheckResult checks = null!;
    private DriverDecision decision = null!;
    private Option<ChainID>[] parents = [];
    private DiffID[] diffs = [];
    private ChainID[] chainIds = [];

    /// <summary>Number of layers in the generated root; it also has one mount per 10 layers. The sizes and
    /// seeds are those of bench/run.sh: 10,000 layers, 1,000 mounts, 100 images, seed 1; 100,000 layers,
    /// 10,000 mounts, 1,000 images, seed 2.</summary>
    [Params(10_000, 100_000)]
    public int Layers { get; set; }

    /// <summary>
    /// Not timed. Generates a valid root with the project's own generator (real tar streams, so diff IDs and
    /// chain IDs are genuine; forests of parent chains; mounts on image top layers), puts it in an in-memory
    /// file system and reads the layerdb and the rest of the root as <c>layerfn check</c> does. About 40 s
    /// and 2 GB of memory for 100,000 layers, in each benchmark's process.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var small = Layers <= 10_000;
        var generated = RootGenerator.Generate(small ? 1 : 2, new GeneratorOptions(Layers, Layers / 10, small ? 100 : 1000));
        files = new InMemoryRootFileSystem(generated);
        using (var reader = new DockerRootReader(InMemoryRootFileSystem.Root, files))
        {
            snapshot = reader.ReadLayerDb(Driver, Version);
            load = LayerStoreLoad.Load(snapshot);
            root = reader.ReadRoot(Driver, snapshot, Seq<ChainID>.Empty);
        }
        // A generated root is healthy: anything else would measure a different code path.
        if (load.Outcome != StoreOutcome.Loaded || load.Store.Layers.Count != Layers || load.Store.Mounts.Count != Layers / 10 || !load.Problems.IsEmpty)
            throw new InvalidOperationException($"setup: expected a clean load of {Layers} layers and {Layers / 10} mounts, got {load.Outcome}, "
                + $"{load.Store.Layers.Count} layers, {load.Store.Mounts.Count} mounts, {load.Problems.Count} problems");
        checks = RootChecks.Run(Version, Driver, snapshot, load, root);
        decision = DriverSelection.Decide(Version, Driver, Prelude.Map((Driver, DriverHomeState.NonEmptyDirectory)));
        parents = load.Store.Layers.Map(l => l.Parent).ToArray();
        diffs = load.Store.Layers.Map(l => l.DiffID).ToArray();
        chainIds = load.Store.Layers.Map(l => l.ChainID).ToArray();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>The first read: the layerdb's layer and mount folders listed and read, each folder's files parsed as they are
    /// read (<see cref="DockerRootReader.ReadLayerDb"/>).</summary>
    [Benchmark]
    public LayerDbRead ReadLayerDb()
    {
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, files);
        return reader.ReadLayerDb(Driver, Version);
    }

    /// <summary>The second read: the rest of the root the checks need (the overlay2 folders, <c>link</c> and <c>lower</c>
    /// files, the <c>l/</c> links, image and container configs), after the load (<see cref="DockerRootReader.ReadRoot"/>).</summary>
    [Benchmark]
    public RootSnapshot ReadRoot()
    {
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, files);
        return reader.ReadRoot(Driver, snapshot, Seq<ChainID>.Empty);
    }

    /// <summary>moby's layer-store load (<see cref="LayerStoreLoad.Load(LayerDbRead)"/>) of the whole snapshot: list, parse
    /// every layer and mount folder, resolve parent chains, count references, check chain IDs, sort.</summary>
    [Benchmark]
    public LoadResult Load() => LayerStoreLoad.Load(snapshot);

    /// <summary>
    /// Reading the reference counts of every loaded layer into a lookup by ChainID.
    /// The core has no separate reference-counting function: the counting (one per loaded listed child, one
    /// per loaded mount) happens inside <see cref="LayerStoreLoad.Load(LayerDbRead)"/> (private <c>Loader.Run</c>) and its
    /// cost is part of <see cref="Load"/>. What the core exposes is <see cref="Layer.ReferenceCount"/> on the
    /// loaded store, so this measures a consumer reading them (as the report and the graph do).
    /// </summary>
    [Benchmark]
    public Dictionary<ChainID, int> ReferenceCounts()
    {
        var counts = new Dictionary<ChainID, int>(load.Store.Layers.Count);
        foreach (var layer in load.Store.Layers) counts[layer.ChainID] = layer.ReferenceCount;
        return counts;
    }

    /// <summary><see cref="ChainID.Compute"/> for every layer of the snapshot, from its parent's ChainID and its
    /// own DiffID (one sha256 of about 150 ASCII bytes per layer with a parent). Returns how many differ from
    /// the loaded ChainID (0 on a generated root).</summary>
    [Benchmark]
    public int ChainIdRecompute()
    {
        var mismatches = 0;
        for (var i = 0; i < diffs.Length; i++)
            if (ChainID.Compute(parents[i], diffs[i]) != chainIds[i]) mismatches++;
        return mismatches;
    }

    /// <summary><see cref="RootChecks.Run(MobyVersion, DriverName, LayerDbRead, LoadResult, RootSnapshot)"/>: the checks moby never makes (listing quirks, depth, the overlay2
    /// folders and links, image and container configs) on the loaded store and the in-memory root.</summary>
    [Benchmark]
    public RootCheckResult RootChecksRun() => RootChecks.Run(Version, Driver, snapshot, load, root);

    /// <summary>The last pure step, <see cref="GraphDriverCheck.Complete"/>: from the checks' result to the report (image
    /// and container costs of failing layers, the image stores, the root causes and the plans), with no sizes measured
    /// and no content verified, as <c>check --json</c> on a healthy root without orphans.</summary>
    [Benchmark]
    public CheckReport Complete() => GraphDriverCheck.Complete(new GraphDriverReads(InMemoryRootFileSystem.Root, Version, decision, Driver,
        snapshot, load, Seq<Problem>.Empty, Prelude.Seq1(Driver), checks) { Sizes = Prelude.Some(NoSizes) });

    private static readonly IReadOnlyDictionary<string, long> NoSizes = new Dictionary<string, long>();
}
