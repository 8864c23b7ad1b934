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

    /// <summary>The same entry at another path.</summary>
    /// <param name="path">The new relative path.</param>
    public GeneratedEntry At(string path) => this switch
    {
        File f => new File(path, f.Bytes),
        Link l => new Link(path, l.Target),
        _ => new Folder(path),
    };

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
/// <param name="ReferenceCount">moby's count at load on the healthy root: listed children plus mounts on it.</param>
/// <param name="OverlayLink">The 26-character name of its <c>overlay2/l/</c> link.</param>
/// <param name="OverlayLower">Its <c>lower</c> file's content (<c>l/A:l/B</c>, nearest first); empty for a base layer.</param>
public sealed record GeneratedLayer(ChainID ChainID, DiffID DiffID, string CacheID, Option<ChainID> Parent, long Size, int Depth, int ReferenceCount,
    string OverlayLink = "", string OverlayLower = "")
{
    /// <summary>The layer folder relative to the root, <c>image/overlay2/layerdb/sha256/&lt;hex&gt;</c>.</summary>
    public string Folder => RootGenerator.LayerDb + "/sha256/" + ChainID.Digest.Encoded;

    /// <summary>The <c>lower</c> value of a folder that sits directly on this layer.</summary>
    public string LowerAbove => "l/" + OverlayLink + (OverlayLower.Length > 0 ? ":" + OverlayLower : "");
}

/// <summary>A generated container mount.</summary>
/// <param name="Name">Mount name = container ID.</param>
/// <param name="MountID">Driver ID of its read-write layer.</param>
/// <param name="Parent">The image top layer it sits on.</param>
/// <param name="Image">Its image ID.</param>
public sealed record GeneratedMount(MountName Name, string MountID, ChainID Parent, string Image)
{
    /// <summary>The mount folder relative to the root, <c>image/overlay2/layerdb/mounts/&lt;name&gt;</c>.</summary>
    public string Folder => RootGenerator.LayerDb + "/mounts/" + Name;

    /// <summary>The init layer's driver ID, <c>&lt;mount-id&gt;-init</c>.</summary>
    public string InitID => MountID + "-init";
}

/// <summary>A generated image.</summary>
/// <param name="Id">Image ID (<c>sha256:</c> + hash of its config).</param>
/// <param name="Top">Its top layer.</param>
public sealed record GeneratedImage(string Id, ChainID Top);

/// <summary>Sizes of a root to generate.</summary>
/// <param name="Layers">Number of layers (at least 1).</param>
/// <param name="Mounts">Number of container mounts.</param>
/// <param name="Images">Number of images (at least 1 when there are mounts).</param>
/// <param name="FileSize">Bytes in every generated layer file; 0 (the default) for random sizes under 700 bytes.
/// Large values make roots for measuring content verification (each layer then holds 1-3 such files).</param>
public sealed record GeneratorOptions(int Layers = 6, int Mounts = 2, int Images = 2, int FileSize = 0);

/// <summary>A generated docker root: its entries, and the facts a correct loader must report.</summary>
/// <param name="Seed">The seed it came from.</param>
/// <param name="Options">The sizes asked for.</param>
/// <param name="Entries">Folders, files and links, in a fixed order (parents first).</param>
/// <param name="Layers">Layers by ChainID order (the generated ones and any a corrupter added).</param>
/// <param name="Mounts">Mounts by name order.</param>
/// <param name="Images">Images by ID order.</param>
public sealed record GeneratedRoot(long Seed, GeneratorOptions Options, Seq<GeneratedEntry> Entries,
    Seq<GeneratedLayer> Layers, Seq<GeneratedMount> Mounts, Seq<GeneratedImage> Images)
{
    /// <summary>The corruptions applied, in order (empty for a valid root).</summary>
    public Seq<ProblemKind> Corruptions { get; init; }

    /// <summary>What a check of this root must report (<see cref="Expectation.Healthy"/> for a valid root).</summary>
    public Expectation Expected { get; init; } = Expectation.Healthy;

    /// <summary>The command line that writes this root again (seed, sizes and corruptions).</summary>
    /// <param name="directory">Where it would be written.</param>
    public string CommandLine(string directory) =>
        $"layerfn generate {directory} --seed {Seed} --layers {Options.Layers} --mounts {Options.Mounts} --images {Options.Images}"
        + (Options.FileSize > 0 ? $" --file-size {Options.FileSize}" : "")
        + string.Concat(Corruptions.Map(k => " --corrupt " + k.Id()));

    /// <summary>The root with <paramref name="entry"/> added, or replacing the entry at its path (same place in the order).</summary>
    /// <param name="entry">A folder, file or link.</param>
    public GeneratedRoot With(GeneratedEntry entry) =>
        Entries.Exists(e => e.Path == entry.Path)
            ? this with { Entries = Entries.Map(e => e.Path == entry.Path ? entry : e).Strict() }
            : this with { Entries = Entries.Add(entry) };

    /// <summary>The root without the entry at <paramref name="path"/> and everything under it.</summary>
    /// <param name="path">A relative path.</param>
    public GeneratedRoot Without(string path) =>
        this with { Entries = Entries.Filter(e => e.Path != path && !e.Path.StartsWith(path + "/", StringComparison.Ordinal)).Strict() };

    /// <summary>The root with everything at and under <paramref name="from"/> moved to <paramref name="to"/>.</summary>
    /// <param name="from">A relative path.</param>
    /// <param name="to">Its new relative path.</param>
    public GeneratedRoot Moved(string from, string to) =>
        this with
        {
            Entries = Entries.Map(e =>
                e.Path == from || e.Path.StartsWith(from + "/", StringComparison.Ordinal) ? e.At(to + e.Path[from.Length..]) : e).Strict(),
        };

    /// <summary>The bytes of the file at <paramref name="path"/>, if the root has one there.</summary>
    /// <param name="path">A relative path.</param>
    public Option<byte[]> FileAt(string path) =>
        Entries.Find(e => e.Path == path).Bind(e => e is GeneratedEntry.File f ? Some(f.Bytes) : None);
}

/// <summary>
/// Generates a random, valid overlay2 docker root from a seed, byte for byte the same for the same
/// seed: a forest of layers with real tar streams (so diff IDs, chain IDs and tar-split files are all
/// genuine), some with a <c>descriptor.json</c>, their overlay2 folders (<c>diff/</c> holding the very files of
/// the tar stream, <c>link</c>, <c>lower</c>, <c>work/</c>, <c>l/</c> links), images whose <c>rootfs.diff_ids</c> reach
/// those layers, and containers with config, mount and init layer.
/// Pure: the shell writes the entries (<c>layerfn generate</c>); <see cref="Corrupters"/> break them.
/// </summary>
public static class RootGenerator
{
    /// <summary>The layerdb every generated root uses, relative to the root.</summary>
    public const string LayerDb = "image/overlay2/layerdb";

    /// <summary>The image config folder, relative to the root.</summary>
    public const string ImageDb = "image/overlay2/imagedb/content/sha256";

    private static readonly string[] Words = ["etc", "usr", "bin", "lib", "var", "srv", "app", "opt", "data", "conf"];

    /// <summary>Generates a valid root.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="options">How many layers, mounts and images.</param>
    public static GeneratedRoot Generate(long seed, GeneratorOptions options) => GenerateWithRandom(seed, options).Root;

    /// <summary>Generates a valid root and returns the random generator after it (corrupters go on from there).
    /// Linear in the number of layers and mounts: parts are collected in lists and the root is built once.</summary>
    internal static (GeneratedRoot Root, SeededRandom Next) GenerateWithRandom(long seed, GeneratorOptions options)
    {
        var n = Math.Max(1, options.Layers);
        var r = SeededRandom.From(seed);
        var entries = new List<GeneratedEntry>
        {
            new GeneratedEntry.Folder("overlay2/l"), new GeneratedEntry.Folder(LayerDb + "/sha256"),
            new GeneratedEntry.Folder(LayerDb + "/mounts"), new GeneratedEntry.Folder("containers"),
        };
        var layers = new List<GeneratedLayer>(n);
        var refs = new int[n];
        var byChain = new Dictionary<string, GeneratedLayer>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            (var pick, r) = r.Below(10);
            (var parent, r) = r.Below(Math.Max(1, i));
            var parentLayer = i == 0 || pick < 2 ? Option<GeneratedLayer>.None : Some(layers[parent]);
            if (parentLayer.IsSome) refs[parent]++;
            (var layer, var parts, r) = LayerParts(parentLayer, r, i.ToString(System.Globalization.CultureInfo.InvariantCulture), options.FileSize);
            layers.Add(layer);
            byChain[layer.ChainID.ToString()] = layer;
            entries.AddRange(parts);
        }

        // Images: distinct top layers; mounts sit on image tops.
        var imageCount = Math.Min(n, Math.Max(options.Images, options.Mounts > 0 ? 1 : 0));
        var tops = new List<int>();
        var chosen = new System.Collections.Generic.HashSet<int>();
        while (tops.Count < imageCount)
        {
            (var t, r) = r.Below(n);
            if (chosen.Add(t)) tops.Add(t);
        }
        var images = new List<GeneratedImage>();
        foreach (var t in tops)
        {
            var (image, config) = ImageParts(layers[t], c => byChain.TryGetValue(c.ToString(), out var l) ? Some(l) : None);
            images.Add(image);
            entries.Add(config);
        }
        var mounts = new List<GeneratedMount>();
        for (var m = 0; m < options.Mounts && tops.Count > 0; m++)
        {
            (var which, r) = r.Below(tops.Count);
            refs[tops[which]]++;
            (var mount, var parts, r) = ContainerParts(layers[tops[which]], images[which], r, m);
            mounts.Add(mount);
            entries.AddRange(parts);
        }
        var root = new GeneratedRoot(seed, options, entries.ToSeq().Strict(),
            layers.Select((l, i) => l with { ReferenceCount = refs[i] }).OrderBy(l => l.ChainID.ToString(), StringComparer.Ordinal).ToSeq().Strict(),
            mounts.OrderBy(m => m.Name).ToSeq().Strict(),
            images.OrderBy(i => i.Id, StringComparer.Ordinal).ToSeq().Strict());
        return (root, r);
    }

    /// <summary>Adds one layer with real content on <paramref name="parent"/> (or as a base layer): its layerdb
    /// folder, tar-split, overlay2 folder and <c>l/</c> link. The parent's reference count goes up by one.</summary>
    /// <param name="root">The root so far.</param>
    /// <param name="parent">The layer it sits on.</param>
    /// <param name="r">The random generator.</param>
    /// <param name="label">Part of its file names (keeps contents of different layers apart).</param>
    /// <returns>The new root, the layer, and the generator after it.</returns>
    public static (GeneratedRoot Root, GeneratedLayer Layer, SeededRandom Next) AddLayer(GeneratedRoot root, Option<GeneratedLayer> parent, SeededRandom r, string label)
    {
        (var layer, var entries, r) = LayerParts(parent, r, label, root.Options.FileSize);
        var layers = root.Layers.Map(l => layer.Parent == Some(l.ChainID) ? l with { ReferenceCount = l.ReferenceCount + 1 } : l)
            .Add(layer).OrderBy(l => l.ChainID.ToString(), StringComparer.Ordinal).ToSeq().Strict();
        return (root with { Entries = root.Entries.Concat(entries).Strict(), Layers = layers }, layer, r);
    }

    private static (GeneratedLayer, List<GeneratedEntry>, SeededRandom) LayerParts(Option<GeneratedLayer> parent, SeededRandom r, string label, int fileSize)
    {
        (var members, r) = Members(r, label, fileSize);
        var tarball = LayerTar.Build(members);
        var parentChain = parent.Map(p => p.ChainID);
        var chain = ChainID.Compute(parentChain, tarball.DiffID);
        (var cache, r) = r.RandomId();
        (var link, r) = Link(r);
        (var withDescriptor, r) = r.Below(4);
        var layer = new GeneratedLayer(chain, tarball.DiffID, cache, parentChain, tarball.Size,
            parent.Map(p => p.Depth + 1).IfNone(1), 0, link, parent.Map(p => p.LowerAbove).IfNone(""));

        var entries = new List<GeneratedEntry> { new GeneratedEntry.Folder(layer.Folder) };
        entries.Add(Text(layer.Folder + "/diff", tarball.DiffID.ToString()));
        entries.Add(Text(layer.Folder + "/size", tarball.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        entries.Add(Text(layer.Folder + "/cache-id", cache));
        parentChain.IfSome(p => entries.Add(Text(layer.Folder + "/parent", p.ToString())));
        if (withDescriptor == 0)
            entries.Add(new GeneratedEntry.File(layer.Folder + "/descriptor.json", Json(w =>
            {
                w.WriteString("mediaType", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
                w.WriteString("digest", "sha256:" + Digest.Sha256Of(tarball.Tar).Encoded);
                w.WriteNumber("size", tarball.Tar.Length);
                w.WriteStartArray("urls");
                w.WriteStringValue("https://example.invalid/layers/" + tarball.DiffID.Digest.Encoded[..12]);
                w.WriteEndArray();
            })));
        entries.Add(new GeneratedEntry.File(layer.Folder + "/tar-split.json.gz", tarball.TarSplitGzip()));
        entries.AddRange(OverlayFolder(cache, link, layer.OverlayLower, members));
        return (layer, entries, r);
    }

    /// <summary>Adds an image whose config's <c>rootfs.diff_ids</c> are the diff IDs from the base layer up to <paramref name="top"/>.</summary>
    /// <param name="root">The root so far.</param>
    /// <param name="top">The image's top layer (one of <paramref name="root"/>'s layers).</param>
    public static (GeneratedRoot Root, GeneratedImage Image) AddImage(GeneratedRoot root, GeneratedLayer top)
    {
        var (image, config) = ImageParts(top, c => root.Layers.Find(x => x.ChainID == c));
        return (root with
        {
            Entries = root.Entries.Add(config),
            Images = root.Images.Add(image).OrderBy(i => i.Id, StringComparer.Ordinal).ToSeq().Strict(),
        }, image);
    }

    private static (GeneratedImage, GeneratedEntry) ImageParts(GeneratedLayer top, Func<ChainID, Option<GeneratedLayer>> layerOf)
    {
        var diffIds = new List<string>();
        for (var at = Some(top); at.TrySome(out var l); at = l.Parent.Bind(layerOf))
            diffIds.Add(l.DiffID.ToString());
        diffIds.Reverse();
        var config = ImageConfig(diffIds);
        var image = new GeneratedImage("sha256:" + Digest.Sha256Of(config).Encoded, top.ChainID);
        return (image, new GeneratedEntry.File(ImageDb + "/" + image.Id[7..], config));
    }

    /// <summary>Adds a container on an image: its <c>containers/&lt;id&gt;/config.v2.json</c>, its mount folder
    /// (<c>mount-id</c>, <c>init-id</c>, <c>parent</c>), and overlay2 folders for the init and read-write layers.
    /// The image's top layer's reference count goes up by one.</summary>
    /// <param name="root">The root so far.</param>
    /// <param name="image">The image it runs.</param>
    /// <param name="r">The random generator.</param>
    /// <param name="number">Its number (names it <c>/c&lt;number&gt;</c>).</param>
    public static (GeneratedRoot Root, GeneratedMount Mount, SeededRandom Next) AddContainer(GeneratedRoot root, GeneratedImage image, SeededRandom r, int number)
    {
        var top = root.Layers.Find(l => l.ChainID == image.Top).IfNone(() => throw new ArgumentException("the image's top layer is not in the root", nameof(image)));
        (var mount, var entries, r) = ContainerParts(top, image, r, number);
        return (root with
        {
            Entries = root.Entries.Concat(entries).Strict(),
            Layers = root.Layers.Map(l => l.ChainID == top.ChainID ? l with { ReferenceCount = l.ReferenceCount + 1 } : l).Strict(),
            Mounts = root.Mounts.Add(mount).OrderBy(m => m.Name).ToSeq().Strict(),
        }, mount, r);
    }

    private static (GeneratedMount, List<GeneratedEntry>, SeededRandom) ContainerParts(GeneratedLayer top, GeneratedImage image, SeededRandom r, int number)
    {
        (var container, r) = r.RandomId();
        (var mountId, r) = r.RandomId();
        (var initLink, r) = Link(r);
        (var rwLink, r) = Link(r);
        var mount = new GeneratedMount(container, mountId, top.ChainID, image.Id);
        var entries = new List<GeneratedEntry>
        {
            new GeneratedEntry.Folder(mount.Folder),
            Text(mount.Folder + "/mount-id", mountId),
            Text(mount.Folder + "/init-id", mount.InitID),
            Text(mount.Folder + "/parent", top.ChainID.ToString()),
        };
        entries.AddRange(OverlayFolder(mount.InitID, initLink, top.LowerAbove,
            Seq(new TarMember(".dockerenv", Some(System.Array.Empty<byte>())), new TarMember("etc/", None), new TarMember("etc/hostname", Some(System.Array.Empty<byte>())))));
        entries.AddRange(OverlayFolder(mountId, rwLink, "l/" + initLink + ":" + top.LowerAbove,
            Seq1(new TarMember("tmp-" + number + ".txt", Some(Encoding.ASCII.GetBytes($"written by container {number}\n"))))));
        entries.Add(new GeneratedEntry.File($"containers/{container}/config.v2.json", ContainerConfig(container, "/c" + number, image.Id, number)));
        entries.Add(new GeneratedEntry.File($"containers/{container}/hostconfig.json", HostConfig));
        return (mount, entries, r);
    }

    internal static GeneratedEntry Text(string path, string text) => new GeneratedEntry.File(path, Encoding.ASCII.GetBytes(text));

    internal static (string, SeededRandom) Link(SeededRandom r)
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
    private static (Seq<TarMember>, SeededRandom) Members(SeededRandom r, string label, int fileSize)
    {
        (var w, r) = r.Below(Words.Length);
        var dir = Words[w] + "/";
        var members = new List<TarMember> { new(dir, None) };
        (var count, r) = r.Below(3);
        for (var f = 0; f <= count; f++)
        {
            (var len, r) = r.Below(700);
            (var bytes, r) = r.Bytes(fileSize > 0 ? fileSize : len);
            members.Add(new TarMember($"{dir}file-{label}-{f}.bin", Some(bytes)));
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

    /// <summary>A <c>config.v2.json</c> as dockerd 20.10 writes it for a created, never started container (every field of
    /// moby's <c>container.Container</c> that it serialises, in its order; read off <c>docker create</c> on dockerd 20.10.24).
    /// The restore dereferences <c>Config</c> and <c>State</c> (daemon/container.go <c>Register</c>, daemon/daemon.go
    /// <c>restore</c>), so both are always written. Deterministic: the creation time comes from the container number.</summary>
    internal static byte[] ContainerConfig(string id, string name, string image, int number) => Encoding.UTF8.GetBytes(
        "{\"StreamConfig\":{},\"State\":{\"Running\":false,\"Paused\":false,\"Restarting\":false,\"OOMKilled\":false,\"RemovalInProgress\":false,"
        + "\"Dead\":false,\"Pid\":0,\"ExitCode\":0,\"Error\":\"\",\"StartedAt\":\"0001-01-01T00:00:00Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\",\"Health\":null},"
        + $"\"ID\":\"{id}\",\"Created\":\"{CreatedAt(number)}\",\"Managed\":false,\"Path\":\"/bin/sh\",\"Args\":[],"
        + $"\"Config\":{{\"Hostname\":\"{id[..12]}\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,"
        + "\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,\"Cmd\":[\"/bin/sh\"],"
        + $"\"Image\":\"{image}\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,\"OnBuild\":null,\"Labels\":{{}}}},"
        + $"\"Image\":\"{image}\",\"NetworkSettings\":{{\"Bridge\":\"\",\"SandboxID\":\"\",\"HairpinMode\":false,\"LinkLocalIPv6Address\":\"\","
        + "\"LinkLocalIPv6PrefixLen\":0,\"Networks\":{\"none\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"NetworkID\":\"\",\"EndpointID\":\"\","
        + "\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"MacAddress\":\"\","
        + "\"DriverOpts\":null,\"IPAMOperational\":false}},\"Service\":null,\"Ports\":null,\"SandboxKey\":\"\",\"SecondaryIPAddresses\":null,"
        + "\"SecondaryIPv6Addresses\":null,\"IsAnonymousEndpoint\":false,\"HasSwarmEndpoint\":false},"
        + $"\"LogPath\":\"\",\"Name\":\"{name}\",\"Driver\":\"overlay2\",\"OS\":\"linux\",\"MountLabel\":\"\",\"ProcessLabel\":\"\",\"RestartCount\":0,"
        + "\"HasBeenStartedBefore\":false,\"HasBeenManuallyStopped\":false,\"MountPoints\":{},\"SecretReferences\":null,\"ConfigReferences\":null,"
        + "\"AppArmorProfile\":\"\",\"HostnamePath\":\"\",\"HostsPath\":\"\",\"ShmPath\":\"\",\"ResolvConfPath\":\"\",\"SeccompProfile\":\"\","
        + "\"NoNewPrivileges\":false,\"LocalLogCacheMeta\":{\"HaveNotifyEnabled\":false}}");

    private static string CreatedAt(int number) =>
        new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(number).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A <c>hostconfig.json</c> as dockerd 20.10 writes it for <c>docker create --network none</c> (restart policy
    /// <c>no</c>, json-file logs): the same bytes for every container.</summary>
    internal static readonly byte[] HostConfig = Encoding.UTF8.GetBytes(
        "{\"Binds\":null,\"ContainerIDFile\":\"\",\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{}},\"NetworkMode\":\"none\",\"PortBindings\":{},"
        + "\"RestartPolicy\":{\"Name\":\"no\",\"MaximumRetryCount\":0},\"AutoRemove\":false,\"VolumeDriver\":\"\",\"VolumesFrom\":null,\"CapAdd\":null,"
        + "\"CapDrop\":null,\"CgroupnsMode\":\"host\",\"Dns\":[],\"DnsOptions\":[],\"DnsSearch\":[],\"ExtraHosts\":null,\"GroupAdd\":null,"
        + "\"IpcMode\":\"private\",\"Cgroup\":\"\",\"Links\":null,\"OomScoreAdj\":0,\"PidMode\":\"\",\"Privileged\":false,\"PublishAllPorts\":false,"
        + "\"ReadonlyRootfs\":false,\"SecurityOpt\":null,\"UTSMode\":\"\",\"UsernsMode\":\"\",\"ShmSize\":67108864,\"Runtime\":\"runc\",\"ConsoleSize\":[0,0],"
        + "\"Isolation\":\"\",\"CpuShares\":0,\"Memory\":0,\"NanoCpus\":0,\"CgroupParent\":\"\",\"BlkioWeight\":0,\"BlkioWeightDevice\":[],"
        + "\"BlkioDeviceReadBps\":[],\"BlkioDeviceWriteBps\":[],\"BlkioDeviceReadIOps\":[],\"BlkioDeviceWriteIOps\":[],\"CpuPeriod\":0,\"CpuQuota\":0,"
        + "\"CpuRealtimePeriod\":0,\"CpuRealtimeRuntime\":0,\"CpusetCpus\":\"\",\"CpusetMems\":\"\",\"Devices\":[],\"DeviceCgroupRules\":null,"
        + "\"DeviceRequests\":null,\"KernelMemory\":0,\"KernelMemoryTCP\":0,\"MemoryReservation\":0,\"MemorySwap\":0,\"MemorySwappiness\":null,"
        + "\"OomKillDisable\":false,\"PidsLimit\":null,\"Ulimits\":[],\"CpuCount\":0,\"CpuPercent\":0,\"IOMaximumIOps\":0,\"IOMaximumBandwidth\":0,"
        + "\"MaskedPaths\":[\"/proc/asound\",\"/proc/acpi\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\","
        + "\"/proc/sched_debug\",\"/proc/scsi\",\"/sys/firmware\"],\"ReadonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}");

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
