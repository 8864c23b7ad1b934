using System.Formats.Tar;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Generation;

/// <summary>A generated image as an OCI layout (<see cref="ImageArchive"/>): its blobs hash to what the root says (the config
/// to the image ID, each layer tar to its diff ID), and the layout names the image for containerd's importer.</summary>
public class ImageArchiveTests
{
    private static readonly GeneratedRoot Model = RootGenerator.Generate(5, new GeneratorOptions(Layers: 6, Mounts: 0, Images: 2));

    private static Seq<GeneratedLayer> ChainOf(GeneratedImage image)
    {
        var chain = new List<GeneratedLayer>();
        for (var at = Some(image.Top); at.TrySome(out var c); )
        {
            var layer = Model.Layers.Find(l => l.ChainID == c).IfNone(() => throw new Xunit.Sdk.XunitException(c.ToString()));
            chain.Insert(0, layer);
            at = layer.Parent;
        }
        return chain.ToSeq();
    }

    [Fact]
    public void The_config_hashes_to_the_image_ID_and_each_layer_tar_to_its_diff_ID()
    {
        foreach (var image in Model.Images)
        {
            var blobs = ImageArchive.Blobs(Model, image).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
            Assert.Equal(image.Id, blobs.Config.Digest.ToString());
            Assert.Equal(ChainOf(image).Map(l => l.DiffID.ToString()).ToList(), blobs.Layers.Map(l => l.Digest.ToString()).ToList());
            Assert.All(blobs.Layers + Seq(blobs.Config, blobs.Manifest), b => Assert.Equal(Digest.Sha256Of(b.Bytes), b.Digest));
            using var manifest = JsonDocument.Parse(blobs.Manifest.Bytes);
            Assert.Equal(image.Id, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
            Assert.Equal(blobs.Layers.Map(l => (l.Digest.ToString(), (long)l.Bytes.Length)).ToList(),
                manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64())).ToList());
        }
    }

    [Fact]
    public void The_layout_holds_every_blob_under_its_digest_and_names_the_image_for_containerd()
    {
        var image = Model.Images[1];
        var tar = ImageArchive.OciLayout(Model, image, ImageArchive.NameOf(1)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(tar, ImageArchive.OciLayout(Model, image, ImageArchive.NameOf(1)).IfLeft([]));
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(new MemoryStream(tar)))
            for (var e = reader.GetNextEntry(); e is not null; e = reader.GetNextEntry())
            {
                using var content = new MemoryStream();
                e.DataStream!.CopyTo(content);
                files.Add(e.Name, content.ToArray());
            }
        var blobs = ImageArchive.Blobs(Model, image).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var all = blobs.Layers + Seq(blobs.Config, blobs.Manifest);
        Assert.Equal(all.Map(b => "blobs/sha256/" + b.Digest.Encoded).Add("index.json").Add("oci-layout").Order(StringComparer.Ordinal).ToList(),
            files.Keys.Order(StringComparer.Ordinal).ToList());
        using var index = JsonDocument.Parse(files["index.json"]);
        var entry = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray().ToList());
        Assert.Equal(blobs.Manifest.Digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal("docker.io/library/layerfn-gen1:latest", entry.GetProperty("annotations").GetProperty(ImageArchive.ContainerdNameAnnotation).GetString());
    }

    [Fact]
    public void A_layer_whose_files_are_gone_cannot_be_archived()
    {
        var image = Model.Images[0];
        var top = ChainOf(image).Last;
        var broken = Model.Without(Model.Entries.Find(e => e is GeneratedEntry.File && e.Path.StartsWith($"overlay2/{top.CacheID}/diff/", StringComparison.Ordinal))
            .Map(e => e.Path).IfNone(() => throw new Xunit.Sdk.XunitException("no file in the top layer")));
        var error = ImageArchive.Blobs(broken, image).Match(Left: e => e, Right: _ => "archived");
        Assert.StartsWith($"layer {top.ChainID}: ", error, StringComparison.Ordinal);
        Assert.EndsWith(" is not in its overlay2 folder as tar-split records it", error, StringComparison.Ordinal);
    }
}
