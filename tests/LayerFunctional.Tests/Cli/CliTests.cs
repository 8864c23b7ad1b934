using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LayerFunctional.Cli;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Cli;

/// <summary><c>layerfn check</c> end to end: the committed sample root, JSON shape and stability, exit codes.</summary>
public class CliTests
{
    private static readonly string SampleRoot = Path.Combine(SharedData.RepoRoot, "samples", "docker-root");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Recomputes every layer folder's chain ID from its diff and parent files with plain
    /// hashing (no product code), as the image-spec rule says.</summary>
    private static Dictionary<string, string> RecomputedChainIds(string layerDb)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(Path.Combine(layerDb, "sha256")))
        {
            var diff = File.ReadAllText(Path.Combine(dir, "diff")).Trim();
            var parentFile = Path.Combine(dir, "parent");
            var computed = File.Exists(parentFile)
                ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(File.ReadAllText(parentFile).Trim() + " " + diff)))
                : diff;
            result["sha256:" + Path.GetFileName(dir)] = computed;
        }
        return result;
    }

    [Fact]
    public void Sample_root_chain_ids_are_real()
    {
        var ids = RecomputedChainIds(Path.Combine(SampleRoot, "image", "overlay2", "layerdb"));
        Assert.Equal(5, ids.Count);
        Assert.All(ids, kv => Assert.Equal(kv.Key, kv.Value));
    }

    [Fact]
    public void Check_json_on_the_sample_root_gives_moby_load_result()
    {
        var (code, json, _) = Run("check", SampleRoot, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        Assert.Equal(
            new[] { "schema", "root", "moby", "driver", "outcome", "layerdb", "layers", "skipped_layers", "mounts", "skipped_mounts", "images", "containers", "problems", "cleanup", "orphan_bytes" },
            r.EnumerateObject().Select(p => p.Name));
        Assert.Equal("layerfunctional.report/1", r.GetProperty("schema").GetString());
        Assert.Equal("29.0", r.GetProperty("moby").GetString());
        Assert.Equal("overlay2", r.GetProperty("driver").GetProperty("name").GetString());
        Assert.Equal("prior_state", r.GetProperty("driver").GetProperty("selected_by").GetString());
        Assert.Equal("loaded", r.GetProperty("outcome").GetString());

        const string baseId = "sha256:6508e5ae4956d08b4f0bdb09f71fc35d91fc5b1b722b44199a07d1300f947373";
        const string webApp = "sha256:28c55d30e061deb566eda39cde333cf33fbe1653ab1318dd0590ffda1a390fb1";
        const string webConfig = "sha256:eff9fc81dcd2e08d409e62dd0c8811d4e4994908bddc0b61a772f9ca4fbfac51";
        const string toolBin = "sha256:8ee4ad18b6ebe8e2e800cde514e3d744610cdc2f01dcaa75c132bfb320013557";
        const string toolData = "sha256:02907b26f449a4aca521b2dbb11282285f22f48757c5702de4f00a4d1109aea5";
        Assert.Equal(
            new[] { (webApp, 1, 2, (string?)baseId, 36L), (baseId, 1, 1, null, 53L), (webConfig, 1, 3, webApp, 22L) },
            r.GetProperty("layers").EnumerateArray().Select(l => (
                l.GetProperty("chain_id").GetString()!, l.GetProperty("ref_count").GetInt32(), l.GetProperty("depth").GetInt32(),
                l.GetProperty("parent").GetString(), l.GetProperty("size").GetInt64())));
        Assert.Equal(
            new[] { (toolData, "ancestor_unloadable"), (toolBin, "size_invalid") },
            r.GetProperty("skipped_layers").EnumerateArray().Select(l => (l.GetProperty("chain_id").GetString()!, l.GetProperty("kind").GetString()!)));
        var mount = Assert.Single(r.GetProperty("mounts").EnumerateArray());
        Assert.Equal(webConfig, mount.GetProperty("parent").GetString());
        Assert.Equal(mount.GetProperty("mount_id").GetString() + "-init", mount.GetProperty("init_id").GetString());
        Assert.Equal("mount_parent_unloadable", Assert.Single(r.GetProperty("skipped_mounts").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(
            new[] { "image_layer_missing", "mount_parent_unloadable", "ancestor_unloadable", "size_invalid" },
            r.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString()));
        // Two images: web (top web-config) restores, tool (top tool-data) does not.
        Assert.Equal(
            new[] { (webConfig, true), (toolData, false) }.OrderBy(x => x.Item1, StringComparer.Ordinal),
            r.GetProperty("images").EnumerateArray().Select(i => (i.GetProperty("top_chain_id").GetString()!, i.GetProperty("loads").GetBoolean()))
                .OrderBy(x => x.Item1, StringComparer.Ordinal));
        Assert.All(r.GetProperty("images").EnumerateArray(), i => Assert.Equal(
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(SampleRoot, "image/overlay2/imagedb/content/sha256", i.GetProperty("id").GetString()![7..])))),
            i.GetProperty("id").GetString()));
        Assert.Equal("/web-1", mount.GetProperty("container_name").GetString());
        Assert.Equal(1, r.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("chain_id").GetString() == webConfig).GetProperty("image_refs").GetInt32());
        Assert.Equal(0, r.GetProperty("orphan_bytes").GetInt64());
        var size = r.GetProperty("problems")[3];
        Assert.Equal("error", size.GetProperty("severity").GetString());
        Assert.Equal($"image/overlay2/layerdb/sha256/{toolBin[7..]}/size", size.GetProperty("path").GetString());
        Assert.Equal(toolBin, size.GetProperty("chain_id").GetString());
        Assert.Equal("size is \"20\\n\": strconv.ParseInt: parsing \"20\\n\": invalid syntax", size.GetProperty("message").GetString());
        Assert.Equal("moby skips layer 8ee4ad18b6eb; drops 1 descendant layer and 1 mount with it; also 1 image skipped at restore and 1 container dropped at start-up",
            size.GetProperty("consequence").GetString());
    }

    [Fact]
    public void Web_config_reference_count_comes_from_its_mount()
    {
        // web-config has no child layer but one loaded mount: moby's count is 1.
        var (_, json, _) = Run("check", SampleRoot, "--json");
        using var doc = JsonDocument.Parse(json);
        var webConfig = doc.RootElement.GetProperty("layers").EnumerateArray()
            .Single(l => l.GetProperty("chain_id").GetString() == "sha256:eff9fc81dcd2e08d409e62dd0c8811d4e4994908bddc0b61a772f9ca4fbfac51");
        Assert.Equal(1, webConfig.GetProperty("ref_count").GetInt32());
    }

    [Fact]
    public void Same_root_gives_the_same_bytes()
    {
        var first = Run("check", SampleRoot, "--json").Out;
        var second = Run("check", SampleRoot, "--json").Out;
        Assert.Equal(first, second);
        Assert.EndsWith("\n", first, StringComparison.Ordinal);
        Assert.Equal(Run("check", SampleRoot).Out, Run("check", SampleRoot).Out);
    }

    [Fact]
    public void Human_output_shows_summary_tree_and_consequence()
    {
        var (code, text, _) = Run("check", SampleRoot);
        Assert.Equal(1, code);
        Assert.StartsWith("docker root:  " + SampleRoot, text, StringComparison.Ordinal);
        Assert.Contains("layers:       3 loaded, 2 skipped", text, StringComparison.Ordinal);
        Assert.Contains("image_layer_missing", text, StringComparison.Ordinal);
        Assert.Contains("  6508e5ae4956  sha256:6508e5ae4956  53 B  refs 1\n  └─ 28c55d30e061", text, StringComparison.Ordinal);
        Assert.Contains("-> moby skips layer 8ee4ad18b6eb; drops 1 descendant layer and 1 mount with it; also 1 image skipped at restore", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--moby-version", "99")]
    [InlineData("check", "--no-such-option")]
    [InlineData("nosuchcommand")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("layerfn: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_and_quiet_together_exit_2()
    {
        var (code, _, err) = Run("check", SampleRoot, "-v", "-q");
        Assert.Equal(2, code);
        Assert.Contains("--verbose and --quiet cannot be used together", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image/overlay2/layerdb", "image/overlay2/layerdb/mounts")]
    [InlineData("image/overlay2/layerdb/sha256", "image/overlay2/layerdb/sha256")]
    public void A_layerdb_part_that_is_a_file_makes_the_daemon_refuse_to_start(string fileAt, string problemPath)
    {
        using var dir = new TempDir();
        DiskRoot.WriteFile(dir.Path, "overlay2/x/diff/f", "x");
        DiskRoot.WriteFile(dir.Path, fileAt, "not a folder");
        var (code, json, _) = Run("check", dir.Path, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("daemon_refuses_to_start", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Contains(doc.RootElement.GetProperty("problems").EnumerateArray(),
            p => p.GetProperty("kind").GetString() == "layerdb_unreadable" && p.GetProperty("path").GetString() == problemPath);
    }

    /// <summary>Relative path, type, link target and content hash of every entry (no times: two writes differ in those).</summary>
    private static string Tree(string root) => string.Join("\n",
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(root, f.FullName)} {f.Attributes} {f.LinkTarget} " +
                         (f is FileInfo && f.LinkTarget is null ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f.FullName))) : "")));

    [Fact]
    public void The_replay_line_of_generate_keeps_the_image_archives_folder()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        var archives = Path.Combine(dir.Path, "archives");
        var (code, text, _) = Run("generate", root, "--seed", "3", "--layers", "2", "--mounts", "0", "--images", "1", "--oci-archives", archives);
        Assert.Equal(0, code);
        var replay = text.Split('\n').Single(l => l.StartsWith("replay: ", StringComparison.Ordinal));
        Assert.Equal($"replay: layerfn generate {root} --seed 3 --layers 2 --mounts 0 --images 1 --oci-archives {archives}", replay);
    }

    [Fact]
    public void Generate_with_corruptions_writes_the_same_tree_for_a_seed_and_prints_what_check_reports()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        string[] args = ["--seed", "9", "--layers", "5", "--corrupt", "size_invalid", "--corrupt", "mount_id_missing", "--corrupt", "orphan_driver_dir"];
        var (codeA, outA, _) = Run(["generate", a.Path, .. args]);
        var (codeB, _, _) = Run(["generate", b.Path, .. args]);
        Assert.Equal((0, 0), (codeA, codeB));
        Assert.Equal(Tree(a.Path), Tree(b.Path));
        Assert.NotEqual(Tree(a.Path), Tree(new TempDir().Path));
        var lines = outA.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"replay: layerfn generate {a.Path} --seed 9 --layers 5 --mounts 2 --images 2 --corrupt size_invalid --corrupt mount_id_missing --corrupt orphan_driver_dir", lines[1]);
        Assert.Equal($"check: layerfn check {a.Path}", lines[2]);
        var expected = lines.Where(l => l.StartsWith("expect: ", StringComparison.Ordinal)).Select(l => l["expect: ".Length..]).ToList();
        var (code, json, _) = Run("check", a.Path, "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(expected, doc.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => p.GetProperty("kind").GetString() + " " + p.GetProperty("path").GetString()).ToList());
        Assert.Equal(["mount_id_missing", "orphan_driver_dir", "size_invalid", "unregistered_driver_dir"], expected.Select(e => e.Split(' ')[0]).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData("generate", "/tmp/layerfn-never-written", "--corrupt", "no_such_kind")]
    [InlineData("generate", "/tmp/layerfn-never-written", "--corrupt", "entry_unreadable")]
    [InlineData("generate", "/tmp/layerfn-never-written", "--corrupt", "layerdb_absent", "--corrupt", "size_invalid")]
    [InlineData("generate", "/tmp/layerfn-never-written", "--seed", "-5")]
    [InlineData("check", "samples/docker-root", "--json", "--plan")]
    [InlineData("check", "samples/docker-root", "--plan", "--repair-plan")]
    [InlineData("check", "samples/docker-root", "--repair-plan", "--quarantine", "samples/docker-root/q")]
    [InlineData("check", "samples/docker-root", "--repair-plan", "--quarantine", "samples/docker-root")]
    [InlineData("check", "samples/docker-root", "--quarantine", "/tmp/layerfn-never-written")]
    [InlineData("which", "")]
    public void Contradictory_or_empty_arguments_exit_2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("layerfn: ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists("/tmp/layerfn-never-written"));
    }

    [Fact]
    public void Which_names_layers_and_mounts_that_moby_skips()
    {
        var (code, text, _) = Run("which", "8ee4ad18b6eb", "--root", SampleRoot);
        Assert.Equal(0, code);
        Assert.Contains("which moby does not load (size_invalid at", text, StringComparison.Ordinal);
        var (mountCode, mountText, _) = Run("which", "2fae96a4e430", "--root", SampleRoot);
        Assert.Equal(0, mountCode);
        Assert.Contains("which moby does not load (mount_parent_unloadable at", mountText, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_root_exits_2_with_a_message()
    {
        var (code, _, err) = Run("check", "/nonexistent/docker/root");
        Assert.Equal(2, code);
        Assert.Equal("layerfn: /nonexistent/docker/root does not exist\n", err);
    }

    [Fact]
    public void Help_lists_check_with_examples()
    {
        var (code, text, _) = Run("check", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--moby-version", text, StringComparison.Ordinal);
        Assert.Contains("Examples:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Containerd_outcome_says_how_to_load_the_layerdb_anyway()
    {
        using var dir = new TempDir();
        // Only vfs state: the prior-state scan ignores vfs, so 29.0 uses containerd's store.
        var layer = LayerFunctional.Generation.LayerTar.Build(LanguageExt.Prelude.Seq1(
            new LayerFunctional.Generation.TarMember("file", LanguageExt.Prelude.Some("x"u8.ToArray()))));
        var hex = layer.DiffID.Digest.Encoded;
        DiskRoot.WriteLayer(dir.Path, "vfs", hex, layer.DiffID.ToString(), "1", "c1", null);
        File.WriteAllBytes(Path.Combine(dir.Path, $"image/vfs/layerdb/sha256/{hex}/tar-split.json.gz"), layer.TarSplitGzip());
        DiskRoot.WriteFile(dir.Path, "vfs/dir/c1/file", "x");
        var (code, text, _) = Run("check", dir.Path);
        Assert.Equal(1, code);   // the vfs layerdb would be lost: layerdb_not_used
        Assert.Contains("outcome:      graphdriver_not_used", text, StringComparison.Ordinal);
        Assert.Contains("layerdb_not_used  image/vfs/layerdb", text, StringComparison.Ordinal);
        Assert.Contains($"  layerfn check {dir.Path} --driver vfs", text, StringComparison.Ordinal);
        var (code2, json, _) = Run("check", dir.Path, "--driver", "vfs", "--json");
        Assert.Equal(0, code2);
        Assert.Contains("\"chain_id\": \"sha256:" + hex + "\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_of_image_stores_says_which_dockerd_shows_also_when_it_shows_none()
    {
        var report = LayerFunctional.Edge.Checker.Check(new LayerFunctional.Edge.CheckOptions(SampleRoot, MobyVersion.Default, LanguageExt.Prelude.None))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        ImageStoreSummary Store(ImageStoreKind kind, string where, bool shown) => new(kind, where, "overlay2", shown, LanguageExt.Prelude.Empty, 0);
        string StoresLine(params ImageStoreSummary[] stores) =>
            HumanReport.Render(report with { ImageStores = LanguageExt.Prelude.toSeq(stores) }).Split('\n').Single(l => l.StartsWith("image stores:", StringComparison.Ordinal));
        Assert.Equal("image stores: 1; dockerd does not show it", StoresLine(Store(ImageStoreKind.GraphDriver, "image/overlay2/layerdb", false)));
        Assert.Equal("image stores: 2; dockerd shows none of them", StoresLine(Store(ImageStoreKind.GraphDriver, "image/overlay2/layerdb", false),
            Store(ImageStoreKind.Containerd, "containerd/daemon", false)));
        Assert.Equal("image stores: 2; dockerd shows overlay2 store", StoresLine(Store(ImageStoreKind.GraphDriver, "image/overlay2/layerdb", true),
            Store(ImageStoreKind.Containerd, "containerd/daemon", false)));
    }

    [Fact]
    public void A_migration_threshold_that_is_no_size_is_warned_about_and_taken_as_zero()
    {
        var (code, _, err) = Run("check", SampleRoot, "--migrate-threshold", "lots");
        Assert.Equal((Run("check", SampleRoot).Code, "layerfn: warning: --migrate-threshold lots is not a size: dockerd warns \"Invalid migration threshold value, defaulting to 0\", and the forecast takes 0 too"),
            (code, err.Trim()));
        Assert.Equal("", Run("check", SampleRoot, "--migrate-threshold", "200M").Err);
    }

    [Fact]
    public void A_daemon_json_takes_part_in_the_image_store_choice()
    {
        using var dir = new TempDir();
        var config = Path.Combine(dir.Path, "daemon.json");
        // The sample root has overlay2 state: 29.x keeps the graph driver, unless the feature asks for containerd.
        File.WriteAllText(config, "{\"features\": {\"containerd-snapshotter\": true}, \"log-level\": \"debug\"}");
        var (code, json, _) = Run("check", SampleRoot, "--daemon-config", config, "--json");
        Assert.Equal((1, true), (code, json.Contains("\"outcome\": \"graphdriver_not_used\"", StringComparison.Ordinal)));
        File.WriteAllText(config, "{\"features\": {\"containerd-snapshotter\": false}}");
        Assert.Contains("\"outcome\": \"loaded\"", Run("check", SampleRoot, "--daemon-config", config, "--json").Out, StringComparison.Ordinal);
        // 29.0 takes an unknown storage-driver for a snapshotter that containerd lacks: the daemon does not start.
        File.WriteAllText(config, "{\"storage-driver\": \"zfs\"}");
        Assert.Contains("\"outcome\": \"daemon_refuses_to_start\"", Run("check", SampleRoot, "--daemon-config", config, "--moby-version", "29.0", "--json").Out, StringComparison.Ordinal);
        // A directive given both as a flag and in the file, or a file that is no daemon.json: exit 2.
        var (both, _, err) = Run("check", SampleRoot, "--daemon-config", config, "--driver", "overlay2");
        Assert.Equal((2, $"layerfn: the storage driver is given both as --driver overlay2 and in {config} as zfs: dockerd refuses to start on a directive given both as a flag and in its configuration file"),
            (both, err.Trim()));
        // The same value both ways is refused too (moby's findConfigurationConflicts compares names, not values).
        File.WriteAllText(config, "{\"storage-driver\": \"overlay2\"}");
        var (same, _, sameErr) = Run("check", SampleRoot, "--daemon-config", config, "--driver", "overlay2");
        Assert.Equal((2, $"layerfn: the storage driver is given both as --driver overlay2 and in {config} as overlay2: dockerd refuses to start on a directive given both as a flag and in its configuration file"),
            (same, sameErr.Trim()));
        File.WriteAllText(config, "[]");
        Assert.Equal((2, $"layerfn: --daemon-config {config}: not a JSON object"), Run("check", SampleRoot, "--daemon-config", config) is var r ? (r.Code, r.Err.Trim()) : default);
        Assert.Equal(2, Run("check", SampleRoot, "--daemon-config", Path.Combine(dir.Path, "absent.json")).Code);
    }

    [Fact]
    public void A_containerd_store_s_own_files_are_no_graph_driver_state()
    {
        // 29.3 writes image/identity-cache.db (a bbolt file) in snapshotter mode, beside containerd/ and rootfs/overlayfs/:
        // none of them is prior graph-driver state, so the root stays on the containerd store with nothing to report.
        using var dir = new TempDir();
        DiskRoot.WriteFile(dir.Path, "image/identity-cache.db", "bolt");
        DiskRoot.WriteFile(dir.Path, "containerd/daemon/io.containerd.content.v1.content/ingest/.keep", "");
        DiskRoot.WriteFile(dir.Path, "rootfs/overlayfs/c1/.keep", "");
        var (code, json, _) = Run("check", dir.Path, "--moby-version", "29.3", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"outcome\": \"graphdriver_not_used\"", json, StringComparison.Ordinal);
        Assert.Contains("\"problems\": []", json, StringComparison.Ordinal);
    }

    // A real containerd's metadata and native snapshotter stores (tests/…/Core/Containerd/Samples) under <root>/containerd/daemon,
    // with the three snapshot folders and no content store; returns the store's path.
    private static string WriteSampleContainerdStore(string root)
    {
        var store = Path.Combine(root, "containerd", "daemon");
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.metadata.v1.bolt"));
        File.WriteAllBytes(Path.Combine(store, "io.containerd.metadata.v1.bolt", "meta.db"), ContainerdSamples.Read("meta.db.gz"));
        foreach (var id in new[] { "1", "2", "3" }) Directory.CreateDirectory(Path.Combine(store, "io.containerd.snapshotter.v1.native", "snapshots", id));
        File.WriteAllBytes(Path.Combine(store, "io.containerd.snapshotter.v1.native", "metadata.db"), ContainerdSamples.Read("native-metadata.db.gz"));
        return store;
    }

    [Fact]
    public void The_containerd_store_dockerd_uses_is_read_and_checked()
    {
        // A real containerd's stores (tests/…/Core/Containerd/Samples) under <root>/containerd/daemon, the image's manifest blob gone.
        using var dir = new TempDir();
        var store = WriteSampleContainerdStore(dir.Path);
        var blobs = Path.Combine(store, "io.containerd.content.v1.content", "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var hex in new[] { "54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc", "a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577" })
            File.WriteAllText(Path.Combine(blobs, hex), "");
        var (code, text, _) = Run("check", dir.Path, "--driver", "native", "--moby-version", "29.1");
        Assert.Equal(1, code);
        Assert.Contains("containerd:   1 image(s), 3 native snapshot(s), 3 blob(s) of 10.6 KiB, 0 container record(s), 1 lease(s) in containerd/daemon", text, StringComparison.Ordinal);
        Assert.Contains("  image docker.io/library/tiny:1  sha256:fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2", text, StringComparison.Ordinal);
        Assert.Contains("containerd_blob_missing  containerd/daemon/io.containerd.content.v1.content/blobs/sha256/fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2",
            text, StringComparison.Ordinal);
        Assert.Equal(0, Directory.GetFiles(blobs).Length - 2);   // read-only: nothing written
    }

    [Fact]
    public void Version_names_the_releases_whose_rules_it_knows_as_parsing_accepts_them()
    {
        var (code, text, _) = Run("version");
        Assert.Equal(0, code);
        Assert.Matches(@"^layerfn \S+ \(moby rules 17\.06 to 29\.x, default 29\.0; report schema layerfunctional\.report/1\)\n$", text.Replace("\r", ""));
        Assert.True(MobyVersion.Parse("29.3").IsRight);
        Assert.True(MobyVersion.Parse("30.0").IsLeft);
    }

    [Fact]
    public void A_blob_folder_that_cannot_be_listed_fails_each_blob_under_content_instead_of_passing_it()
    {
        // The same real store, its blobs/sha256 a file: nothing can be listed or read there. Without --content nothing can be
        // said of the blobs; with it, each recorded blob is read and fails with the reason.
        using var dir = new TempDir();
        var store = WriteSampleContainerdStore(dir.Path);
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.content.v1.content", "blobs"));
        File.WriteAllText(Path.Combine(store, "io.containerd.content.v1.content", "blobs", "sha256"), "");
        var (plainCode, plain, _) = Run("check", dir.Path, "--driver", "native", "--moby-version", "29.1");
        Assert.Equal(0, plainCode);
        Assert.DoesNotContain("containerd_blob", plain, StringComparison.Ordinal);
        var (code, text, _) = Run("check", dir.Path, "--driver", "native", "--moby-version", "29.1", "--content");
        Assert.Equal(1, code);
        var corrupt = text.Split("\n").Select(l => l.Trim()).Where(l => l.StartsWith("containerd_blob_corrupt  ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc", "a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577",
                "fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2" }.Select(h => "containerd_blob_corrupt  containerd/daemon/io.containerd.content.v1.content/blobs/sha256/" + h),
            corrupt.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var w ? w[0] + "  " + w[1] : ""));
    }

    // The problems of a --json report as (kind, path, message), in report order.
    private static (string Kind, string Path, string Message)[] ProblemsOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("kind").GetString()!, p.GetProperty("path").GetString()!, p.GetProperty("message").GetString()!)).ToArray();
    }

    [Fact]
    public void A_containerd_store_a_symbolic_link_leads_out_of_the_root_is_not_read()
    {
        // containerd/daemon a link to a real store beside the docker root: dockerd would follow it; the check does not.
        using var dir = new TempDir();
        var docker = Path.Combine(dir.Path, "docker");
        var elsewhere = WriteSampleContainerdStore(Path.Combine(dir.Path, "elsewhere"));
        Directory.CreateDirectory(Path.Combine(docker, "containerd"));
        File.CreateSymbolicLink(Path.Combine(docker, "containerd", "daemon"), elsewhere);
        var (code, json, _) = Run("check", docker, "--driver", "native", "--moby-version", "29.1", "--json");
        // A warning, not an error: nothing is known to be wrong there, and no repair touches it.
        Assert.Equal(0, code);
        var problem = Assert.Single(ProblemsOf(json));
        Assert.Equal(("symlink_outside_root", "containerd/daemon/io.containerd.metadata.v1.bolt/meta.db"), (problem.Kind, problem.Path));
        // The data the finding carries: where the path really leads.
        var metaDb = Path.Combine(LayerFunctional.Edge.FileTypes.RealPath(elsewhere)!, "io.containerd.metadata.v1.bolt", "meta.db");
        Assert.Contains(metaDb, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_folder_a_symbolic_link_leads_out_of_the_root_is_not_read_under_content()
    {
        // The store inside the root, its blobs/sha256 reached through a link to a folder outside holding the image's blobs:
        // not listed, and under --content not read; one finding says so.
        using var dir = new TempDir();
        var docker = Path.Combine(dir.Path, "docker");
        var store = WriteSampleContainerdStore(docker);
        var outside = Path.Combine(dir.Path, "out", "sha256");
        Directory.CreateDirectory(outside);
        string[] hexes = ["54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc", "a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577",
            "fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2"];
        foreach (var hex in hexes) File.WriteAllText(Path.Combine(outside, hex), "");
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.content.v1.content"));
        File.CreateSymbolicLink(Path.Combine(store, "io.containerd.content.v1.content", "blobs"), Path.Combine(dir.Path, "out"));
        var (code, json, _) = Run("check", docker, "--driver", "native", "--moby-version", "29.1", "--content", "--json");
        // Not an error: the blobs are not known to be bad (containerd follows the link), so neither corrupt nor missing, and
        // no repair removes them.
        Assert.Equal(0, code);
        var problem = Assert.Single(ProblemsOf(json), p => p.Kind.StartsWith("containerd_blob_", StringComparison.Ordinal) || p.Kind == "symlink_outside_root");
        Assert.Equal(("symlink_outside_root", "containerd/daemon/io.containerd.content.v1.content/blobs/sha256"), (problem.Kind, problem.Path));
        Assert.Contains(LayerFunctional.Edge.FileTypes.RealPath(outside)!, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_system_containerd_s_store_is_read_from_containerd_root_and_named_by_absolute_paths()
    {
        // The same real store as above, in a containerd root of its own beside an empty docker root.
        using var dir = new TempDir();
        static byte[] Sample(string name) => ContainerdSamples.Read(name);
        var docker = Path.Combine(dir.Path, "docker");
        var store = Path.Combine(dir.Path, "containerd");
        Directory.CreateDirectory(docker);
        Directory.CreateDirectory(Path.Combine(store, "io.containerd.metadata.v1.bolt"));
        File.WriteAllBytes(Path.Combine(store, "io.containerd.metadata.v1.bolt", "meta.db"), Sample("meta.db.gz"));
        var blobs = Path.Combine(store, "io.containerd.content.v1.content", "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var hex in new[] { "54cd5374ead6aecf5d25294b6d71fbf17df7e773929742e1ed97a64ac903facc", "a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577" })
            File.WriteAllText(Path.Combine(blobs, hex), "");
        var (code, text, _) = Run("check", docker, "--driver", "native", "--moby-version", "29.1", "--containerd-root", store);
        Assert.Equal(1, code);
        Assert.Contains($"containerd:   1 image(s), 3 native snapshot(s), 3 blob(s) of 10.6 KiB, 0 container record(s), 1 lease(s) in {store}", text, StringComparison.Ordinal);
        Assert.Contains($"containerd_blob_missing  {store}/io.containerd.content.v1.content/blobs/sha256/fec31dc0b867d57f24d1845fb9fcf52b6f563aaf9768b68b0003bf5ad32b04f2",
            text, StringComparison.Ordinal);
        // Without it, dockerd's own containerd root is read: there is none.
        var (_, alone, _) = Run("check", docker, "--driver", "native", "--moby-version", "29.1");
        Assert.Contains("containerd:   no store at containerd/daemon: dockerd lists no image (a system containerd's root is named with --containerd-root)", alone, StringComparison.Ordinal);
        // A root named with --containerd-root that holds no store: no hint back to the option just given.
        var missing = Path.Combine(docker, "no-such-containerd");
        var (_, named, _) = Run("check", docker, "--driver", "native", "--moby-version", "29.1", "--containerd-root", missing);
        Assert.Contains($"containerd:   no store at {missing}: dockerd lists no image\n", named.Replace("\r", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_never_writes_under_the_root()
    {
        using var dir = new TempDir();
        DiskRoot.WriteFile(dir.Path, "overlay2/x/diff/f", "x");   // prior state, but no layerdb at all
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var (code, text, _) = Run("check", dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("layerdb_absent", text, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Check_on_a_100000_deep_chain_on_disk_finishes()
    {
        using var dir = new TempDir();
        const int depth = 100_000;
        string? parent = null;
        string last = "";
        for (var i = 0; i < depth; i++)
        {
            var diff = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)));
            var chain = parent is null ? diff : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(parent + " " + diff)));
            DiskRoot.WriteLayer(dir.Path, "overlay2", chain[7..], diff, "1", "c" + i, parent);
            parent = last = chain;
        }
        Directory.CreateDirectory(Path.Combine(dir.Path, "overlay2", "c0"));
        // The store holds only layerdb folders, so the driver checks report every missing cache folder
        // (exit 1); what matters here is that all 100,000 layers load, with their depth, and nothing overflows.
        var before = RootState.Of(dir.Path);
        var (code, json, err) = Run("check", dir.Path, "--json", "--no-tar-split");
        Assert.True(code == 1, err);
        Assert.Equal(before, RootState.Of(dir.Path));
        using var doc = JsonDocument.Parse(json);
        var layers = doc.RootElement.GetProperty("layers");
        Assert.Equal(depth, layers.GetArrayLength());
        Assert.Equal(depth, layers.EnumerateArray().Single(l => l.GetProperty("chain_id").GetString() == last).GetProperty("depth").GetInt32());
        var human = Run("check", dir.Path, "--no-tar-split");
        Assert.Equal(1, human.Code);
        Assert.Contains("layer_depth_exceeded", human.Out, StringComparison.Ordinal);
    }
}
