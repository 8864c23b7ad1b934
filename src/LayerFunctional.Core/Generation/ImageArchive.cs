using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Content;
using static LanguageExt.Prelude;

namespace LayerFunctional.Generation;

/// <summary>
/// A generated image as an OCI image layout in a tar (image-spec <c>image-layout.md</c>: <c>oci-layout</c>,
/// <c>index.json</c>, <c>blobs/sha256/&lt;hex&gt;</c>), what <c>ctr images import</c> and <c>docker load</c> take: so that a
/// real containerd can build its image store from the generator's images. Layers are uncompressed tars
/// (<c>application/vnd.oci.image.layer.v1.tar</c>), so each layer blob's digest is its diff ID; the config is the image
/// config the generator wrote under <c>imagedb</c> (its digest is the image ID). Pure and deterministic.
/// </summary>
public static class ImageArchive
{
    /// <summary>The annotation containerd's importer names an image by (containerd <c>images/archive/importer.go</c>).</summary>
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>The media type of an OCI image manifest.</summary>
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>The name the <paramref name="n"/>-th generated image is archived under: <c>docker.io/library/layerfn-gen&lt;n&gt;:latest</c>.</summary>
    /// <param name="n">The image's place in <see cref="GeneratedRoot.Images"/> (0-based).</param>
    public static string NameOf(int n) => $"docker.io/library/layerfn-gen{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}:latest";

    /// <summary>One blob of the layout: its digest and bytes.</summary>
    /// <param name="Digest">The blob's digest (<c>sha256:</c> of its bytes).</param>
    /// <param name="Bytes">Its bytes.</param>
    public sealed record Blob(Digest Digest, byte[] Bytes);

    /// <summary>An image's blobs as a layout holds them.</summary>
    /// <param name="Manifest">The manifest.</param>
    /// <param name="Config">The image config (its digest is the image ID).</param>
    /// <param name="Layers">The layer tars, base first (their digests are the diff IDs).</param>
    public sealed record ImageBlobs(Blob Manifest, Blob Config, Seq<Blob> Layers);

    /// <summary>The blobs of one generated image: its config from <c>imagedb</c>, each layer's tar rebuilt from its
    /// <c>tar-split.json.gz</c> and its overlay2 <c>diff/</c> files, and a manifest naming them.</summary>
    /// <param name="root">A generated root (its files as generated: a corrupted root may not rebuild).</param>
    /// <param name="image">One of its images.</param>
    /// <returns>Right: the blobs. Left: what is missing or does not hash to its diff ID.</returns>
    public static Either<string, ImageBlobs> Blobs(GeneratedRoot root, GeneratedImage image)
    {
        if (!root.FileAt(RootGenerator.ImageDb + "/" + image.Id[7..]).TrySome(out var config)) return $"image {image.Id}: no config";
        var chain = new List<GeneratedLayer>();
        for (var at = Some(image.Top); at.TrySome(out var c) && root.Layers.Find(l => l.ChainID == c).TrySome(out var layer); at = layer.Parent)
            chain.Add(layer);
        chain.Reverse();
        var layers = new List<Blob>();
        foreach (var layer in chain)
        {
            var tar = LayerTarOf(root, layer);
            if (tar.IsLeft) return tar.Map(_ => default(ImageBlobs)!);
            var bytes = tar.IfLeft([]);
            if (!layer.DiffID.Digest.HasSha256(SHA256.HashData(bytes))) return $"layer {layer.ChainID}: its rebuilt tar does not hash to diff ID {layer.DiffID}";
            layers.Add(new Blob(layer.DiffID.Digest, bytes));
        }
        var configBlob = new Blob(Digest.Sha256Of(config), config);
        var manifest = Json(w =>
        {
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", ManifestMediaType);
            WriteDescriptor(w, "config", "application/vnd.oci.image.config.v1+json", configBlob);
            w.WriteStartArray("layers");
            foreach (var l in layers) WriteDescriptor(w, null, "application/vnd.oci.image.layer.v1.tar", l);
            w.WriteEndArray();
        });
        return new ImageBlobs(new Blob(Digest.Sha256Of(manifest), manifest), configBlob, layers.ToSeq().Strict());
    }

    /// <summary>An OCI layout tar holding one image under <paramref name="name"/> (a full reference such as
    /// <c>docker.io/library/gen0:latest</c>: <c>index.json</c> names it with <see cref="ContainerdNameAnnotation"/> and its tag
    /// with <c>org.opencontainers.image.ref.name</c>; the manifest's platform is linux/amd64, as the config says).</summary>
    /// <param name="root">A generated root.</param>
    /// <param name="image">One of its images.</param>
    /// <param name="name">The image reference to import it as.</param>
    /// <returns>Right: the tar's bytes. Left: as <see cref="Blobs"/>.</returns>
    public static Either<string, byte[]> OciLayout(GeneratedRoot root, GeneratedImage image, string name) =>
        Blobs(root, image).Map(blobs =>
        {
            var index = Json(w =>
            {
                w.WriteNumber("schemaVersion", 2);
                w.WriteString("mediaType", "application/vnd.oci.image.index.v1+json");
                w.WriteStartArray("manifests");
                w.WriteStartObject();
                w.WriteString("mediaType", ManifestMediaType);
                w.WriteString("digest", blobs.Manifest.Digest.ToString());
                w.WriteNumber("size", blobs.Manifest.Bytes.Length);
                w.WriteStartObject("annotations");
                w.WriteString(ContainerdNameAnnotation, name);
                w.WriteString("org.opencontainers.image.ref.name", name[(name.LastIndexOf(':') + 1)..]);
                w.WriteEndObject();
                w.WriteStartObject("platform");
                w.WriteString("architecture", "amd64");
                w.WriteString("os", "linux");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            });
            using var buffer = new MemoryStream();
            using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
            {
                Add(tar, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
                Add(tar, "index.json", index);
                foreach (var blob in Seq(blobs.Manifest, blobs.Config) + blobs.Layers)
                    Add(tar, "blobs/sha256/" + blob.Digest.Encoded, blob.Bytes);
            }
            return buffer.ToArray();
        });

    /// <summary>The layer's tar stream rebuilt as moby's <c>tar-split</c> assembler does: segment payloads as they are, each
    /// file entry's payload read from the layer's overlay2 <c>diff/</c> folder.</summary>
    private static Either<string, byte[]> LayerTarOf(GeneratedRoot root, GeneratedLayer layer)
    {
        if (!root.FileAt(layer.Folder + "/tar-split.json.gz").TrySome(out var gzip)) return $"layer {layer.ChainID}: no tar-split";
        using var lines = new StreamReader(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress));
        using var tar = new MemoryStream();
        for (var line = lines.ReadLine(); line is not null; line = lines.ReadLine())
        {
            if (line.Length == 0) continue;
            var entry = TarSplitEntries.Decode(System.Text.Encoding.UTF8.GetBytes(line));
            if (!entry.TryRight(out var e)) return $"layer {layer.ChainID}: a tar-split line does not decode";
            switch (e)
            {
                case TarSplitEntry.Segment s:
                    tar.Write(s.Payload);
                    break;
                case TarSplitEntry.File f when f.Size > 0:
                    if (!root.FileAt($"overlay2/{layer.CacheID}/diff/{f.Name}").TrySome(out var content) || content.Length != f.Size)
                        return $"layer {layer.ChainID}: {f.Name} is not in its overlay2 folder as tar-split records it";
                    tar.Write(content);
                    break;
            }
        }
        return tar.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter w, string? property, string mediaType, Blob blob)
    {
        if (property is null) w.WriteStartObject(); else w.WriteStartObject(property);
        w.WriteString("mediaType", mediaType);
        w.WriteString("digest", blob.Digest.ToString());
        w.WriteNumber("size", blob.Bytes.Length);
        w.WriteEndObject();
    }

    private static void Add(TarWriter tar, string name, byte[] bytes)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(bytes),
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(LayerTar.MTime),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        tar.WriteEntry(entry);
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) { w.WriteStartObject(); body(w); w.WriteEndObject(); }
        return buffer.ToArray();
    }
}
