using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional;

/// <summary>Which kind of image store.</summary>
public enum ImageStoreKind
{
    /// <summary>A graph driver's layerdb and imagedb (<c>image/&lt;driver&gt;/</c>).</summary>
    GraphDriver,
    /// <summary>The containerd image store (Docker's <c>moby</c> namespace).</summary>
    Containerd,
}

/// <summary>An image of one store, by the digest both stores share: its config's.</summary>
/// <param name="ConfigDigest">The image config's digest (<c>sha256:…</c>): the image ID of the graph-driver store; in the
/// containerd store the config the image's manifest names (an index's manifests may name several).</param>
/// <param name="Names">Its names: the graph-driver store's <c>repositories.json</c> references, the containerd store's image
/// record names; sorted, ordinal.</param>
public sealed record StoredImage(string ConfigDigest, Seq<string> Names);

/// <summary>One image store of a root as the report's page of stores shows it.</summary>
/// <param name="Kind">Which store.</param>
/// <param name="Where">Where it is: the layerdb (<c>image/overlay2/layerdb</c>) or the containerd root.</param>
/// <param name="Name">The graph driver or the snapshotter.</param>
/// <param name="Shown">Whether dockerd shows it under the chosen release and configuration.</param>
/// <param name="Images">Its images, by config digest (ordinal).</param>
/// <param name="Bytes">Its data: the graph driver's loaded layers' diff sizes summed, or the containerd store's blob sizes
/// summed (bytes).</param>
public sealed record ImageStoreSummary(ImageStoreKind Kind, string Where, string Name, bool Shown, Seq<StoredImage> Images, long Bytes);

/// <summary>
/// Both image stores on one page (issue "Docker 29": from 29.0 a host may hold a graph-driver store and a containerd store,
/// and dockerd shows one): what each holds, and the images only in the one it does not show. Pure.
/// </summary>
public static class ImageStores
{
    /// <summary>The graph-driver store as a summary: the images moby restores (their top layer loads), named from
    /// <c>repositories.json</c>, and the loaded layers' diff sizes.</summary>
    /// <param name="driver">The graph driver.</param>
    /// <param name="layerDb">The layerdb's path relative to the root.</param>
    /// <param name="shown">Whether dockerd shows it.</param>
    /// <param name="images">The imagedb's images (<see cref="ImageInfo"/>).</param>
    /// <param name="references">Image ID → references (<see cref="RepositoriesJson.Parse"/>).</param>
    /// <param name="store">The layerdb's load.</param>
    public static ImageStoreSummary OfGraphDriver(DriverName driver, string layerDb, bool shown, Seq<ImageInfo> images,
        HashMap<string, Seq<string>> references, LayerStore store) =>
        new(ImageStoreKind.GraphDriver, layerDb, driver.Value, shown,
            images.Filter(i => i.Loads).Map(i => new StoredImage(i.Id, references.Find(i.Id).IfNone(LanguageExt.Seq<string>.Empty).OrderBy(n => n, StringComparer.Ordinal).ToSeq().Strict()))
                .OrderBy(i => i.ConfigDigest, StringComparer.Ordinal).ToSeq().Strict(),
            store.Layers.Map(l => l.Size).Sum());

    /// <summary>The containerd store as a summary: each image record by the config digests its manifests name
    /// (<see cref="ContainerdStoreView.Configs"/>; an image whose config is not known is listed by its target digest), and the
    /// blob bytes.</summary>
    /// <param name="view">The containerd store as read.</param>
    /// <param name="shown">Whether dockerd shows it.</param>
    public static ImageStoreSummary OfContainerd(ContainerdStoreView view, bool shown)
    {
        var byConfig = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var image in view.Images)
        {
            var configs = view.Configs.Find(image.Name).Filter(c => !c.IsEmpty).IfNone(Seq1(image.TargetDigest));
            foreach (var config in configs)
            {
                if (!byConfig.TryGetValue(config, out var names)) byConfig[config] = names = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(image.Name);
            }
        }
        return new(ImageStoreKind.Containerd, view.Root, view.Snapshotter, shown,
            byConfig.Select(kv => new StoredImage(kv.Key, kv.Value.ToSeq().Strict())).ToSeq().Strict(), view.BlobBytes);
    }

    /// <summary>The images of the stores dockerd does not show whose config digest no shown store has: what a user misses after
    /// an upgrade (or a downgrade), by config digest.</summary>
    /// <param name="stores">The root's stores.</param>
    public static Seq<(ImageStoreSummary Store, StoredImage Image)> OnlyInHidden(Seq<ImageStoreSummary> stores)
    {
        var shown = stores.Filter(s => s.Shown).Bind(s => s.Images).Map(i => i.ConfigDigest).ToHashSet(StringComparer.Ordinal);
        return stores.Filter(s => !s.Shown).Bind(s => s.Images.Filter(i => !shown.Contains(i.ConfigDigest)).Map(i => (s, i))).Strict();
    }
}
