using LanguageExt;
using LayerFunctional.Go;

namespace LayerFunctional.Graph;

/// <summary>
/// A read-only layer as moby holds it once the layer store has loaded (moby <c>roLayer</c>): its parsed folder, not a
/// copy of it (a store of 100,000 layers held each layer's fields twice), and what the load adds.
/// </summary>
/// <param name="Folder">The parsed layerdb folder it loaded from (<see cref="Parsing.LayerFolder"/>).</param>
/// <param name="ReferenceCount">moby's <c>referenceCount</c> after <c>newStoreFromGraphDriver</c>: one per
/// loaded listed child layer plus one per loaded mount on it (§4.5); images add theirs later.</param>
/// <param name="Depth">1 for a base layer, parent's depth + 1 otherwise (moby <c>depth()</c>).</param>
/// <param name="Listed">False when the layer was reached only as a parent (a symlinked or <c>sha512/</c>
/// folder): it gives no reference to its own parent (§4.5).</param>
public sealed record Layer(Parsing.LayerFolder Folder, int ReferenceCount, int Depth, bool Listed)
{
    /// <summary>Its key in the store (the folder name it was loaded under).</summary>
    public ChainID ChainID => Folder.ChainID;

    /// <summary>From <c>diff</c>.</summary>
    public DiffID DiffID => Folder.DiffID;

    /// <summary>From <c>size</c>: bytes of this layer's own diff (may be negative: moby keeps it).</summary>
    public long Size => Folder.Size;

    /// <summary>From <c>cache-id</c>: the graph driver's ID of its content.</summary>
    public CacheID CacheID => Folder.CacheID;

    /// <summary>The parent layer, None for a base layer.</summary>
    public Option<ChainID> Parent => Folder.Parent;

    /// <summary>From <c>descriptor.json</c>.</summary>
    public LayerDescriptor Descriptor => Folder.Descriptor;
}

/// <summary>A listed layer folder that moby does not load, and the problem that drops it.</summary>
/// <param name="ChainID">The folder's ChainID.</param>
/// <param name="Kind">The problem that dropped it (its own file, or <c>ancestor_unloadable</c>, …).</param>
/// <param name="Path">The file or folder at fault for this layer.</param>
public sealed record SkippedLayer(ChainID ChainID, ProblemKind Kind, string Path);

/// <summary>A container's (or builder's) read-write layer as moby loads it (moby <c>mountedLayer</c>).</summary>
/// <param name="Name">The mount name (container ID).</param>
/// <param name="MountID">Driver ID of the read-write layer.</param>
/// <param name="InitID">Driver ID of the init layer, if any.</param>
/// <param name="Parent">The image top layer, if any.</param>
public sealed record Mount(MountName Name, MountID MountID, Option<InitID> InitID, Option<ChainID> Parent);

/// <summary>A mount folder that moby does not load, and why.</summary>
/// <param name="Name">The mount name.</param>
/// <param name="Kind">The problem that dropped it.</param>
/// <param name="Path">The file at fault.</param>
public sealed record SkippedMount(MountName Name, ProblemKind Kind, string Path);

/// <summary>
/// The layer store moby would hold after start-up: loaded layers (by ChainID, ordinal order) with
/// parents and reference counts, loaded mounts (by name), and what it silently dropped.
/// </summary>
/// <param name="Layers">Loaded layers, sorted by ChainID (ordinal).</param>
/// <param name="SkippedLayers">Listed layers that failed, sorted by ChainID.</param>
/// <param name="Mounts">Loaded mounts, sorted by name.</param>
/// <param name="SkippedMounts">Mount folders that failed, sorted by name.</param>
public sealed record LayerStore(Seq<Layer> Layers, Seq<SkippedLayer> SkippedLayers, Seq<Mount> Mounts, Seq<SkippedMount> SkippedMounts)
{
    /// <summary>A store with nothing in it.</summary>
    public static LayerStore Empty { get; } = new(default, default, default, default);
}

/// <summary>How moby's layer-store construction ends for a snapshot.</summary>
public enum StoreOutcome
{
    /// <summary><c>newStoreFromGraphDriver</c> returns a store.</summary>
    Loaded,
    /// <summary><c>List</c> failed: the store, and the daemon, fail to start.</summary>
    Aborted,
    /// <summary>A parent cycle is reached: moby recurses until a fatal stack overflow.</summary>
    Crashes,
}

/// <summary>The load of one layerdb: outcome, store and every problem found on the way.</summary>
/// <param name="Outcome">How moby's start-up ends.</param>
/// <param name="Store">What loads (for <see cref="StoreOutcome.Crashes"/>: what a loader that stops at
/// the cycle loads; for <see cref="StoreOutcome.Aborted"/>: empty).</param>
/// <param name="Problems">Problems, sorted by path then kind.</param>
public sealed record LoadResult(StoreOutcome Outcome, LayerStore Store, Seq<Problem> Problems);
