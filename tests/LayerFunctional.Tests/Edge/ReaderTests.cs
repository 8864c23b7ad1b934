using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Edge;

/// <summary>The shell on real folders: links, FIFOs and files where folders belong, judged as moby
/// judges them, and nothing under the root changed.</summary>
public class ReaderTests
{
    private const string Db = "image/overlay2/layerdb";

    /// <summary>A generated healthy root (seed 7: every test below uses its facts, not constants).</summary>
    private static readonly GeneratedRoot Generated = RootGenerator.Generate(7, new GeneratorOptions(Layers: 4, Mounts: 1, Images: 1));

    /// <summary>A layer with a parent (B), its parent (A), and the one mount.</summary>
    private static readonly GeneratedLayer BLayer = Generated.Layers.Find(l => l.Parent.IsSome).IfNone(() => throw new InvalidOperationException("seed 7 has no child layer"));
    private static readonly GeneratedLayer ALayer = Generated.Layers.Find(l => Some(l.ChainID) == BLayer.Parent).IfNone(() => throw new InvalidOperationException());
    private static readonly string A = ALayer.ChainID.Digest.Encoded;
    private static readonly string B = BLayer.ChainID.ToString();

    private static TempDir HealthyRoot()
    {
        var dir = new TempDir();
        RootWriter.Write(dir.Path, Generated).IfLeft(e => throw new InvalidOperationException(e));
        return dir;
    }

    /// <summary>Listed layers above <paramref name="chain"/> (itself excluded) and mounts on any of them.</summary>
    private static (int Layers, int Mounts) Above(ChainID chain)
    {
        var dropped = AboveSet(chain);
        return (dropped.Count - 1, Generated.Mounts.Count(m => dropped.Contains(m.Parent.ToString())));
    }

    /// <summary><paramref name="chain"/> and every layer above it.</summary>
    private static System.Collections.Generic.HashSet<string> AboveSet(ChainID chain)
    {
        var dropped = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal) { chain.ToString() };
        bool changed;
        do
        {
            changed = false;
            foreach (var l in Generated.Layers)
                if (l.Parent.Exists(p => dropped.Contains(p.ToString())) && dropped.Add(l.ChainID.ToString())) changed = true;
        } while (changed);
        return dropped;
    }

    private static CheckReport Check(string root, string moby = "29.0") =>
        Checker.Check(new CheckOptions(root, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), None))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static Seq<(string, string)> Problems(CheckReport r) => r.Problems.Map(p => (p.Kind.Id(), p.Path));

    private static string State(string root) => RootState.Of(root);

    [Fact]
    public void Healthy_disk_root_loads_and_is_unchanged()
    {
        using var dir = HealthyRoot();
        var before = State(dir.Path);
        var r = Check(dir.Path);
        Assert.Equal(Generated.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount, l.Depth)), r.Store.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount, l.Depth)));
        Assert.Equal(Generated.Mounts.Map(m => m.Name), r.Store.Mounts.Map(m => m.Name));
        Assert.Empty(r.Problems);
        Assert.Equal(before, State(dir.Path));
    }

    [Fact]
    public void A_containerd_blob_is_hashed_only_when_its_length_is_its_records_size()
    {
        using var dir = new TempDir();
        const string blobs = "containerd/daemon/io.containerd.content.v1.content/blobs/sha256";
        Directory.CreateDirectory(Path.Combine(dir.Path, blobs));
        var content = Encoding.ASCII.GetBytes("a blob");
        var sound = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(dir.Path, blobs, sound), content);
        // A sparse file of 64 GiB under a record of 855 bytes: read whole, it would take minutes.
        var sparse = new string('e', 64);
        using (var f = File.Create(Path.Combine(dir.Path, blobs, sparse))) f.SetLength(64L << 30);
        using var reader = new DockerRootReader(dir.Path, new PhysicalRootFileSystem(dir.Path));
        var read = reader.HashBlobs(blobs, Seq((sound, Some((long)content.Length)), (sparse, Some(855L)), (new string('f', 64), Option<long>.None)));
        Assert.Equal(Seq(
                (sound, Right<string, (Option<string>, long)>((Some(sound), content.Length))),
                (sparse, Right<string, (Option<string>, long)>((None, 64L << 30))),
                (new string('f', 64), Left<string, (Option<string>, long)>("not a regular file"))),
            read);
    }

    [Fact]
    public void Compacting_after_the_read_collects_the_heap_and_changes_nothing_in_the_report()
    {
        using var dir = HealthyRoot();
        var options = new CheckOptions(dir.Path, MobyVersion.Default, None);
        var plain = Checker.Check(options).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);
        var compacted = Checker.Check(options with { CompactAfterRead = true }).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
        Assert.Equal(ReportJson.Render(plain), ReportJson.Render(compacted));
        Assert.Equal(Generated.Layers.Count, compacted.Store.Layers.Count);
    }

    [Fact]
    public void A_dangling_sha256_link_counts_as_absent()
    {
        using var dir = HealthyRoot();
        Directory.Move(Path.Combine(dir.Path, Db, "sha256"), Path.Combine(dir.Path, "elsewhere"));
        File.CreateSymbolicLink(Path.Combine(dir.Path, Db, "sha256"), "nowhere");
        var r = Check(dir.Path);
        Assert.Equal(Outcome.Loaded, r.Outcome);
        Assert.Empty(r.Store.Layers);
        Assert.Equal(Generated.Mounts.Map(m => $"{Db}/mounts/{m.Name}/parent"),
            r.Problems.Filter(p => p.Kind == ProblemKind.MountParentUnloadable).Map(p => p.Path));
    }

    [Fact]
    public void A_dangling_layerdb_link_stops_the_daemon()
    {
        using var dir = HealthyRoot();
        Directory.Move(Path.Combine(dir.Path, Db), Path.Combine(dir.Path, "moved"));
        File.CreateSymbolicLink(Path.Combine(dir.Path, Db), "nowhere");
        var r = Check(dir.Path);
        Assert.Equal(Outcome.DaemonRefusesToStart, r.Outcome);
        Assert.Contains(("layerdb_unreadable", $"{Db}/sha256"), Problems(r));
    }

    [Fact]
    public void A_dangling_driver_home_link_is_not_prior_state()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "overlay2"), "nowhere");
        var r = Check(dir.Path);
        Assert.Equal(Outcome.GraphdriverNotUsed, r.Outcome);
        Assert.Empty(r.Driver.PriorState);
    }

    [Fact]
    public void A_dangling_parent_link_makes_a_base_layer_as_in_go()
    {
        using var dir = HealthyRoot();
        var parent = Path.Combine(dir.Path, Db, "sha256", B[7..], "parent");
        File.Delete(parent);
        File.CreateSymbolicLink(parent, "/nonexistent/parent");
        var r = Check(dir.Path);
        Assert.Equal(Some(Option<ChainID>.None), r.Store.Layers.Find(l => l.ChainID.ToString() == B).Map(l => l.Parent));
        // Loaded as a base layer, its folder name no longer matches its diff ID.
        Assert.Contains(("chain_id_mismatch", $"{Db}/sha256/{B[7..]}"), Problems(r));
        Assert.DoesNotContain(r.Problems, p => p.Kind == ProblemKind.EntryUnreadable);
    }

    [Fact]
    public void A_fifo_named_size_is_never_opened()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = HealthyRoot();
        var size = Path.Combine(dir.Path, Db, "sha256", A, "size");
        File.Delete(size);
        using (var mkfifo = Process.Start("mkfifo", size)) mkfifo.WaitForExit();
        var before = State(dir.Path);
        var r = Check(dir.Path);
        var root = r.Problems.Find(p => p.Path == $"{Db}/sha256/{A}/size").IfNone(() => throw new Xunit.Sdk.XunitException("no problem at size"));
        Assert.Equal(ProblemKind.NotARegularFile, root.Kind);
        Assert.Equal(Above(ALayer.ChainID).Layers + 1, r.Store.SkippedLayers.Count);
        Assert.Equal(before, State(dir.Path));
    }

    [Fact]
    public void A_metadata_link_out_of_the_root_is_not_followed()
    {
        using var dir = HealthyRoot();
        using var outside = new TempDir();
        var size = Path.Combine(dir.Path, Db, "sha256", A, "size");
        File.Copy(size, Path.Combine(outside.Path, "size"));
        File.Delete(size);
        File.CreateSymbolicLink(size, Path.Combine(outside.Path, "size"));
        var r = Check(dir.Path);
        Assert.Contains(("symlink_outside_root", $"{Db}/sha256/{A}/size"), Problems(r));
        var (layers, mounts) = Above(ALayer.ChainID);
        var drops = (layers, mounts) switch
        {
            (0, 0) => "",
            (_, 0) => $"; drops {layers} descendant layer{(layers == 1 ? "" : "s")} with it",
            (0, _) => $"; drops {mounts} mount{(mounts == 1 ? "" : "s")} with it",
            _ => $"; drops {layers} descendant layer{(layers == 1 ? "" : "s")} and {mounts} mount{(mounts == 1 ? "" : "s")} with it",
        };
        var images = Generated.Images.Count(i => AboveSet(ALayer.ChainID).Contains(i.Top.ToString()));
        var costs = new List<string>();
        if (images > 0) costs.Add($"{images} image{(images == 1 ? "" : "s")} skipped at restore");
        if (mounts > 0) costs.Add($"{mounts} container{(mounts == 1 ? "" : "s")} dropped at start-up");
        var also = costs.Count == 0 ? "" : "; also " + string.Join(" and ", costs);
        Assert.Equal($"the link is not followed; counted as a failure of layer {A[..12]} (moby follows it){drops}{also}",
            r.Problems.Find(p => p.Kind == ProblemKind.SymlinkOutsideRoot).Map(p => Explain.Consequence(p)).IfNone(""));
    }

    [Fact]
    public void A_metadata_link_inside_the_root_is_followed()
    {
        using var dir = HealthyRoot();
        var size = Path.Combine(dir.Path, Db, "sha256", A, "size");
        Directory.CreateDirectory(Path.Combine(dir.Path, "spare"));
        File.Move(size, Path.Combine(dir.Path, "spare", "size"));
        File.CreateSymbolicLink(size, "../../../../../spare/size");
        var r = Check(dir.Path);
        Assert.Empty(r.Problems);
        Assert.Equal(Generated.Layers.Count, r.Store.Layers.Count);
    }

    [Fact]
    public void A_parent_folder_linked_out_of_the_root_is_not_followed()
    {
        using var dir = HealthyRoot();
        using var outside = new TempDir();
        var folder = Path.Combine(dir.Path, Db, "sha256", A);
        Directory.Move(folder, Path.Combine(outside.Path, A));
        File.CreateSymbolicLink(folder, Path.Combine(outside.Path, A));
        var r = Check(dir.Path);
        Assert.Contains(("symlink_outside_root", $"{Db}/sha256/{A}"), Problems(r));
        Assert.Contains(("ancestor_unloadable", $"{Db}/sha256/{B[7..]}/parent"), Problems(r));
    }

    [Fact]
    public void A_symlinked_layer_folder_inside_the_root_is_not_listed_but_loads_as_a_parent()
    {
        using var dir = HealthyRoot();
        var folder = Path.Combine(dir.Path, Db, "sha256", A);
        Directory.Move(folder, Path.Combine(dir.Path, "stash-a"));
        File.CreateSymbolicLink(folder, "../../../../stash-a");
        var r = Check(dir.Path);
        var a = r.Store.Layers.Find(l => l.ChainID.ToString() == "sha256:" + A).IfNone(() => throw new Xunit.Sdk.XunitException("A not loaded"));
        Assert.False(a.Listed);
        Assert.Equal(ALayer.ReferenceCount, a.ReferenceCount);
        Assert.Contains(("layer_dir_is_symlink", $"{Db}/sha256/{A}"), Problems(r));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'m', (byte)'e', (byte)'d', (byte)'i', (byte)'a', (byte)'T', (byte)'y', (byte)'p', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xff, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xff, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    public void Descriptor_with_invalid_utf8_loads_as_in_go(byte[] json) =>
        Assert.True(LayerFunctional.Go.GoDescriptorJson.Decode(json, MobyVersion.Default).IsRight);

    [Fact]
    public void Descriptor_with_a_lone_surrogate_escape_loads_as_in_go() =>
        Assert.Equal("\uFFFDx", LayerFunctional.Go.GoDescriptorJson.Decode("{\"mediaType\":\"\\ud800x\"}"u8, MobyVersion.Default)
            .Map(d => d.MediaType.IfNone("")).IfLeft(e => e));

    [Fact]
    public void A_layer_folder_read_says_whether_its_listing_showed_the_tar_split_as_a_regular_file()
    {
        using var dir = HealthyRoot();
        var linked = Path.Combine(dir.Path, Db, "sha256", A, "tar-split.json.gz");
        File.Move(linked, linked + ".real");
        File.CreateSymbolicLink(linked, "tar-split.json.gz.real");
        using var reader = new DockerRootReader(dir.Path, new PhysicalRootFileSystem(dir.Path));
        var db = reader.ReadLayerDb("overlay2", MobyVersion.Default);
        var regular = db.Layers.Where(kv => kv.Value.TarSplitIsRegular).Select(kv => kv.Key.Digest.Encoded).ToList();
        Assert.Equal(Generated.Layers.Map(l => l.ChainID.Digest.Encoded).Filter(h => h != A).OrderBy(h => h, StringComparer.Ordinal).ToList(), regular);
        Assert.True(db.Layers.Find(ALayer.ChainID).Exists(l => l.HasTarSplit && !l.TarSplitIsRegular));
    }

    [Fact]
    public void A_listing_hands_each_entry_to_the_taker_before_naming_it_and_keeps_what_it_does_not_take()
    {
        using var dir = new TempDir();
        var hexDir = new string('a', 64);
        var hexFile = new string('b', 64);
        Directory.CreateDirectory(Path.Combine(dir.Path, hexDir));
        Directory.CreateDirectory(Path.Combine(dir.Path, "other"));
        File.WriteAllText(Path.Combine(dir.Path, hexFile), "x");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link"), hexDir);
        FolderRead ListWith(Func<string, FolderRead> list) => list(dir.Path);
        var offered = new List<(string, FileType)>();
        bool Take(ReadOnlySpan<byte> name, FileType type)
        {
            offered.Add((Encoding.UTF8.GetString(name), type));
            return type == FileType.Directory && name.Length == 64;
        }
        var fs = new PhysicalRootFileSystem(dir.Path);
        var native = ListWith(p => fs.ListTaking(p, Take));
        Assert.Equal(new[] { (hexDir, FileType.Directory), (hexFile, FileType.Regular), ("link", FileType.Symlink), ("other", FileType.Directory) },
            offered.OrderBy(o => o.Item1, StringComparer.Ordinal));
        Assert.Equal(new[] { hexFile, "link", "other" }, native.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Empty(native.Files);
        // Without the native reader: the same entries taken and kept.
        offered.Clear();
        var byName = ListWith(p => FileReads.ListTakingByName(fs, p, Take));
        Assert.Equal(native.Entries.OrderBy(e => e.Name, StringComparer.Ordinal), byName.Entries.OrderBy(e => e.Name, StringComparer.Ordinal));
        Assert.Equal(4, offered.Count);
    }

    [Fact]
    public void Release_names_keep_two_digit_months_up_to_20_10()
    {
        Assert.Equal("19.03", MobyVersion.Parse("19.3").Map(v => v.ToString()).IfLeft(e => e));
        Assert.Equal("20.10", MobyVersion.Parse("20.10.5").Map(v => v.ToString()).IfLeft(e => e));
        Assert.Equal("23.0", MobyVersion.Parse("23").Map(v => v.ToString()).IfLeft(e => e));
    }
}

/// <summary>The reader keeps one instance per identifier: a parent link is the instance naming its parent's folder, a
/// cache ID the string of the driver home's listing, and the listing keeps no text for the layer folders it lists.</summary>
public class ReaderSharingTests
{
    [Fact]
    public void Parent_links_and_cache_IDs_share_the_instances_of_the_listing()
    {
        var root = RootGenerator.Generate(11, new GeneratorOptions(Layers: 30, Mounts: 3, Images: 3));
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, new InMemoryRootFileSystem(root));
        var db = reader.ReadLayerDb("overlay2", MobyVersion.Default);
        var keys = db.Layers.Keys.ToDictionary(k => k, k => k);
        var home = reader.ReadRoot("overlay2", db, Empty).DriverHome.Home is LayerFunctional.Snapshot.DirectoryListing.Listed l
            ? l.Entries.ToDictionary(e => e.Name, e => e.Name, StringComparer.Ordinal)
            : throw new InvalidOperationException("the generated root has an overlay2 home");
        var folders = db.Layers.Values.Map(r => r.Parsed.IfLeft(e => throw new InvalidOperationException(Explain.Message(e)))).ToList();
        Assert.Equal(30, folders.Count);
        Assert.Equal(root.Layers.Count(g => g.Parent.IsSome), folders.Count(f => f.Parent.IsSome));
        Assert.All(folders, f => f.Parent.IfSome(p => Assert.Same(keys[p], p)));
        Assert.All(folders, f => Assert.Same(home[f.CacheID.Value], f.CacheID.Value));
        Assert.Equal(db.Layers.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal), db.ListedLayers.OrderBy(k => k.ToString(), StringComparer.Ordinal));
        Assert.All(db.ListedLayers, id => Assert.Same(keys[id], id));
        Assert.Equal(new LayerFunctional.Snapshot.DirectoryListing.Listed(Empty), db.Sha256);
    }

    [Fact]
    public void A_container_folder_shares_the_name_of_its_mount_folder()
    {
        var root = RootGenerator.Generate(11, new GeneratorOptions(Layers: 30, Mounts: 3, Images: 3));
        using var reader = new DockerRootReader(InMemoryRootFileSystem.Root, new InMemoryRootFileSystem(root));
        var db = reader.ReadLayerDb("overlay2", MobyVersion.Default);
        var mountNames = db.MountFolders.ToDictionary(m => m.Key, m => m.Key, StringComparer.Ordinal);
        var containers = reader.ReadRoot("overlay2", db, Empty).Containers.IfNone(Empty);
        Assert.Equal(mountNames.Keys.Order(StringComparer.Ordinal), containers.Map(c => c.Id.Value).Order(StringComparer.Ordinal));
        Assert.All(containers, c => Assert.Same(mountNames[c.Id.Value], c.Id.Value));
    }
}
