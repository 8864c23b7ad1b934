using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>Both image stores on one page (<see cref="ImageStores"/>): each store's images by config digest, and the images only
/// a store dockerd does not show has.</summary>
public class ImageStoresTests
{
    private static string D(char c) => "sha256:" + new string(c, 64);

    [Fact]
    public void The_graph_driver_store_lists_the_images_moby_restores_with_their_names_sorted()
    {
        var images = Seq(new ImageInfo(D('b'), None, Loads: true), new ImageInfo(D('a'), None, Loads: true), new ImageInfo(D('c'), None, Loads: false));
        var names = HashMap((D('a'), Seq("z:1", "a:1")));
        var store = ImageStores.OfGraphDriver("overlay2", "image/overlay2/layerdb", shown: false, images, names, LayerStore.Empty);
        Assert.Equal((ImageStoreKind.GraphDriver, "image/overlay2/layerdb", "overlay2", false, 0L), (store.Kind, store.Where, store.Name, store.Shown, store.Bytes));
        Assert.Equal(Seq(new StoredImage(D('a'), Seq("a:1", "z:1")), new StoredImage(D('b'), Empty)), store.Images);
    }

    [Fact]
    public void The_containerd_store_lists_images_by_the_configs_their_manifests_name()
    {
        var view = ContainerdStoreView.Empty("containerd/daemon", "overlayfs") with
        {
            Images = Seq(new ContainerdImage("x:1", D('1'), "", None), new ContainerdImage("x:2", D('2'), "", None), new ContainerdImage("y:1", D('3'), "", None)),
            BlobBytes = 1234,
            // x:1 and x:2 are one image under two names; y's records do not say its config: it is listed by its target.
            Configs = HashMap(("x:1", Seq1(D('a'))), ("x:2", Seq1(D('a'))), ("y:1", Seq<string>())),
        };
        var store = ImageStores.OfContainerd(view, shown: true);
        Assert.Equal((ImageStoreKind.Containerd, "containerd/daemon", "overlayfs", true, 1234L), (store.Kind, store.Where, store.Name, store.Shown, store.Bytes));
        Assert.Equal(Seq(new StoredImage(D('3'), Seq1("y:1")), new StoredImage(D('a'), Seq("x:1", "x:2"))), store.Images);
    }

    [Fact]
    public void Only_the_images_no_shown_store_has_are_missed()
    {
        var shown = new ImageStoreSummary(ImageStoreKind.Containerd, "containerd/daemon", "overlayfs", true, Seq1(new StoredImage(D('a'), Empty)), 0);
        var hidden = new ImageStoreSummary(ImageStoreKind.GraphDriver, "image/overlay2/layerdb", "overlay2", false,
            Seq(new StoredImage(D('a'), Empty), new StoredImage(D('b'), Seq1("b:1"))), 0);
        Assert.Equal(Seq1((hidden, new StoredImage(D('b'), Seq1("b:1")))), ImageStores.OnlyInHidden(Seq(shown, hidden)));
        Assert.Empty(ImageStores.OnlyInHidden(Seq(shown with { Shown = false }, hidden with { Shown = true })).Filter(x => x.Image.ConfigDigest == D('b')));
    }
}
