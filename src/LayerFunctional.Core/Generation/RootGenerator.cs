using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Generation;

/// <summary>One file-system entry of a generated root, relative to the root, <c>/</c>-separated.</summary>
public abstract record GeneratedEntry
{
    private GeneratedEntry(string path) => Path = path;

    /// <summary>Relative path.</summary>
    public string Path { get; }

    /// <summary>A folder (written even when empty).</summary>
    /// <param name="Path">Relative path.</param>
    public sealed record Folder(string Path) : GeneratedEntry(Path);

    /// <summary>A regular file.</summary>
    /// <param name="Path">Relative path.</param>
    /// <param name="Bytes">Its content.</param>
    public sealed record File(string Path, byte[] Bytes) : GeneratedEntry(Path)
    {
        /// <summary>Equal when path and bytes are equal.</summary>
        public bool Equals(File? other) => other is not null && other.Path == Path && other.Bytes.AsSpan().SequenceEqual(Bytes);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Path, Bytes.Length);
    }

    /// <summary>A symbolic link.</summary>
    /// <param name="Path">Relative path.</param>
    /// <param name="Target">The link text.</param>
    public sealed record Link(string Path, string Target) : GeneratedEntry(Path);
}

/// <summary>What a generated layer is and what moby's load must make of it.</summary>
/// <param name="ChainID">Its ChainID (folder name).</param>
/// <param name="DiffID">sha256 of its tar.</param>
/// <param name="CacheID">Its overlay2 folder.</param>
/// <param name="Parent">Its parent, if any.</param>
/// <param name="Size">Sum of its file sizes.</param>
/// <param name="Depth">1 for a base layer.</param>
/// <param name="ReferenceCount">moby's count at load: listed children plus mounts on it.</param>
public sealed record GeneratedLayer(ChainID ChainID, DiffID DiffID, string CacheID, Option<ChainID> Parent, long Size, int Depth, int ReferenceCount);

/// <summary>A generated container mount.</summary>
/// <param name="Name">Mount name = container ID.</param>
/// <param name="MountID">Driver ID of its read-write layer.</param>
/// <param name="Parent">The image top layer it sits on.</param>
/// <param name="Image">Its image ID.</param>
public sealed record GeneratedMount(string Name, string MountID, ChainID Parent, string Image);

/// <summary>A generated image.</summary>
/// <param name="Id">Image ID (sha256 of its config).</param>
/// <param name="Top">Its top layer.</param>
public sealed record GeneratedImage(string Id, ChainID Top);

/// <summary>Sizes of a root to generate.</summary>
/// <param name="Layers">Number of layers (at least 1).</param>
/// <param name="Mounts">Number of container mounts.</param>
/// <param name="Images">Number of images (at least 1 when there are mounts).</param>
public sealed record GeneratorOptions(int Layers = 6, int Mounts = 2, int Images = 2);

/// <summary>A generated docker root: its entries, and the facts a correct loader must report.</summary>
/// <param name="Seed">The seed it came from.</param>
/// <param name="Options">The sizes asked for.</param>
/// <param name="Entries">Folders, files and links, in a fixed order (parents first).</param>
/// <param name="Layers">Layers by ChainID order.</param>
/// <param name="Mounts">Mounts by name order.</param>
/// <param name="Images">Images by ID order.</param>
public sealed record GeneratedRoot(long Seed, GeneratorOptions Options, Seq<GeneratedEntry> Entries,
    Seq<GeneratedLayer> Layers, Seq<GeneratedMount> Mounts, Seq<GeneratedImage> Images)
{
    /// <summary>The command line that writes this root again.</summary>
    public string CommandLine(string directory) =>
        $"layerfn generate {directory} --seed {Seed} --layers {Options.Layers} --mounts {Options.Mounts} --images {Options.Images}";
}

/// <summary>
/// Generates a random, valid overlay2 docker root from a seed, byte for byte the same for the same
/// seed: a forest of layers with real tar streams (so diff IDs, chain IDs and tar-split files are all
/// genuine), their overlay2 folders (<c>diff/</c>, <c>link</c>, <c>lower</c>, <c>work/</c>, <c>l/</c> links),
/// images whose <c>rootfs.diff_ids</c> reach those layers, and containers with mounts and init layers.
/// Pure: the shell writes the entries (<c>layerfn generate</c>).
/// </summary>
public static class RootGenerator
{
    private const string Db = "image/overlay2/layerdb";
    private static readonly string[] Words = ["etc", "usr", "bin", "lib", "var", "srv", "app", "opt", "data", "conf"];

    /// <summary>Generates a root.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="options">How many layers, mounts and images.</param>
    public static GeneratedRoot Generate(long seed, GeneratorOptions options)
    {
        var n = Math.Max(1, options.Layers);
        var r = SeededRandom.From(seed);
        var entries = new List<GeneratedEntry> { new GeneratedEntry.Folder("overlay2/l"), new GeneratedEntry.Folder(Db + "/sha256"), new GeneratedEntry.Folder(Db + "/mounts") };
        var chains = new ChainID[n];
        var diffs = new DiffID[n];
        var parents = new int[n];
        var caches = new string[n];
        var links = new string[n];
        var lowers = new string[n];
        var sizes = new long[n];
        var depths = new int[n];
        for (var i = 0; i < n; i++)
        {
            int pick;
            (pick, r) = r.Below(10);
            int parent;
            (parent, r) = r.Below(Math.Max(1, i));
            parents[i] = i == 0 || pick < 2 ? -1 : parent;
            (var members, r) = Members(r, i);
            var tarball = LayerTar.Build(members);
            diffs[i] = tarball.DiffID;
            sizes[i] = tarball.Size;
            var parentChain = parents[i] < 0 ? Option<ChainID>.None : Some(chains[parents[i]]);
            chains[i] = ChainID.Compute(parentChain, diffs[i]);
            depths[i] = parents[i] < 0 ? 1 : depths[parents[i]] + 1;
            (caches[i], r) = r.RandomId();
            (links[i], r) = Link(r);
            lowers[i] = parents[i] < 0 ? "" : "l/" + links[parents[i]] + (lowers[parents[i]].Length > 0 ? ":" + lowers[parents[i]] : "");

            var folder = $"{Db}/sha256/{chains[i].Digest.Encoded}";
            entries.Add(new GeneratedEntry.Folder(folder));
            entries.Add(Text(folder + "/diff", diffs[i].ToString()));
            entries.Add(Text(folder + "/size", tarball.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            entries.Add(Text(folder + "/cache-id", caches[i]));
            parentChain.IfSome(p => entries.Add(Text(folder + "/parent", p.ToString())));
            entries.Add(new GeneratedEntry.File(folder + "/tar-split.json.gz", tarball.TarSplitGzip()));
            entries.AddRange(OverlayFolder(caches[i], links[i], lowers[i], members));
        }

        // Images: distinct top layers; mounts sit on image tops.
        var imageCount = Math.Min(n, Math.Max(options.Images, options.Mounts > 0 ? 1 : 0));
        var tops = new List<int>();
        while (tops.Count < imageCount)
        {
            (var t, r) = r.Below(n);
            if (!tops.Contains(t)) tops.Add(t);
        }
        var images = new List<GeneratedImage>();
        foreach (var t in tops)
        {
            var diffIds = new List<string>();
            for (var l = t; l >= 0; l = parents[l]) diffIds.Insert(0, diffs[l].ToString());
            var config = ImageConfig(diffIds);
            var id = "sha256:" + Digest.Sha256Of(config).Encoded;
            images.Add(new GeneratedImage(id, chains[t]));
            entries.Add(new GeneratedEntry.File("image/overlay2/imagedb/content/sha256/" + id[7..], config));
        }

        var refs = new int[n];
        for (var i = 0; i < n; i++) if (parents[i] >= 0) refs[parents[i]]++;
        var mounts = new List<GeneratedMount>();
        entries.Add(new GeneratedEntry.Folder("containers"));
        for (var m = 0; m < options.Mounts && tops.Count > 0; m++)
        {
            (var which, r) = r.Below(tops.Count);
            var top = tops[which];
            refs[top]++;
            (var container, r) = r.RandomId();
            (var mountId, r) = r.RandomId();
            (var initLink, r) = Link(r);
            (var rwLink, r) = Link(r);
            var folder = $"{Db}/mounts/{container}";
            entries.Add(new GeneratedEntry.Folder(folder));
            entries.Add(Text(folder + "/mount-id", mountId));
            entries.Add(Text(folder + "/init-id", mountId + "-init"));
            entries.Add(Text(folder + "/parent", chains[top].ToString()));
            var topLower = "l/" + links[top] + (lowers[top].Length > 0 ? ":" + lowers[top] : "");
            entries.AddRange(OverlayFolder(mountId + "-init", initLink, topLower,
                Seq(new TarMember(".dockerenv", Some(System.Array.Empty<byte>())), new TarMember("etc/", None), new TarMember("etc/hostname", Some(System.Array.Empty<byte>())))));
            entries.AddRange(OverlayFolder(mountId, rwLink, "l/" + initLink + ":" + topLower,
                Seq1(new TarMember("tmp-" + m + ".txt", Some(Encoding.ASCII.GetBytes($"written by container {m}\n"))))));
            var image = images[which].Id;
            mounts.Add(new GeneratedMount(container, mountId, chains[top], image));
            entries.Add(new GeneratedEntry.File($"containers/{container}/config.v2.json", ContainerConfig(container, "/c" + m, image)));
        }

        var layers = Enumerable.Range(0, n)
            .Select(i => new GeneratedLayer(chains[i], diffs[i], caches[i], parents[i] < 0 ? None : Some(chains[parents[i]]), sizes[i], depths[i], refs[i]))
            .OrderBy(l => l.ChainID.ToString(), StringComparer.Ordinal).ToSeq().Strict();
        return new GeneratedRoot(seed, options, entries.ToSeq().Strict(), layers,
            mounts.OrderBy(m => m.Name, StringComparer.Ordinal).ToSeq().Strict(),
            images.OrderBy(i => i.Id, StringComparer.Ordinal).ToSeq().Strict());
    }

    private static GeneratedEntry Text(string path, string text) => new GeneratedEntry.File(path, Encoding.ASCII.GetBytes(text));

    private static (string, SeededRandom) Link(SeededRandom r)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new StringBuilder(26);
        for (var i = 0; i < 26; i++)
        {
            (var c, r) = r.Below(32);
            sb.Append(alphabet[c]);
        }
        return (sb.ToString(), r);
    }

    /// <summary>One to three files under one folder, with random names and contents.</summary>
    private static (Seq<TarMember>, SeededRandom) Members(SeededRandom r, int layer)
    {
        (var w, r) = r.Below(Words.Length);
        var dir = Words[w] + "/";
        var members = new List<TarMember> { new(dir, None) };
        (var count, r) = r.Below(3);
        for (var f = 0; f <= count; f++)
        {
            (var len, r) = r.Below(700);
            (var bytes, r) = r.Bytes(len);
            members.Add(new TarMember($"{dir}file-{layer}-{f}.bin", Some(bytes)));
        }
        return (members.ToSeq().Strict(), r);
    }

    private static IEnumerable<GeneratedEntry> OverlayFolder(string id, string link, string lower, Seq<TarMember> members)
    {
        var folder = "overlay2/" + id;
        yield return new GeneratedEntry.Folder(folder + "/diff");
        foreach (var m in members)
            yield return m.Content.Match<GeneratedEntry>(
                Some: bytes => new GeneratedEntry.File(folder + "/diff/" + m.Path, bytes),
                None: () => new GeneratedEntry.Folder(folder + "/diff/" + m.Path.TrimEnd('/')));
        yield return Text(folder + "/link", link);
        if (lower.Length > 0)
        {
            yield return Text(folder + "/lower", lower);
            yield return new GeneratedEntry.Folder(folder + "/work");
        }
        yield return new GeneratedEntry.Link("overlay2/l/" + link, "../" + id + "/diff");
    }

    private static byte[] ImageConfig(List<string> diffIds) => Json(w =>
    {
        w.WriteString("architecture", "amd64");
        w.WriteString("os", "linux");
        w.WriteStartObject("config");
        w.WriteStartArray("Cmd");
        w.WriteStringValue("/bin/sh");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("rootfs");
        w.WriteString("type", "layers");
        w.WriteStartArray("diff_ids");
        foreach (var d in diffIds) w.WriteStringValue(d);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static byte[] ContainerConfig(string id, string name, string image) => Json(w =>
    {
        w.WriteString("ID", id);
        w.WriteString("Name", name);
        w.WriteString("Driver", "overlay2");
        w.WriteString("Image", image);
    });

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
