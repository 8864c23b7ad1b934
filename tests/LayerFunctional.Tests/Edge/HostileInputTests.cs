using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Edge;

/// <summary>Inputs found by hunting for crashes and wrong results; each once failed.</summary>
public class HostileInputTests
{
    private static TempDir Generated(long seed = 42)
    {
        var dir = new TempDir();
        RootWriter.Write(dir.Path, RootGenerator.Generate(seed, new GeneratorOptions(4, 1, 1))).IfLeft(e => throw new InvalidOperationException(e));
        return dir;
    }

    private static CheckReport Check(string root, Option<string> driver = default) =>
        Checker.Check(new CheckOptions(root, MobyVersion.Default, driver.Map(d => new DriverName(d)))).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x6f, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x2c, 0x22, 0x72, 0x6f, 0x6f, 0x74, 0x66, 0x73, 0x22, 0x3a, 0x7b, 0x7d, 0x7d })]   // {"os":"\xff","rootfs":{}}
    public void An_image_config_with_invalid_utf8_is_judged_not_thrown(byte[] config)
    {
        using var dir = Generated();
        var name = Digest.Sha256Of(config).Encoded;
        File.WriteAllBytes(Path.Combine(dir.Path, "image/overlay2/imagedb/content/sha256", name), config);
        var r = Check(dir.Path);
        Assert.Contains(r.Problems, p => p.Kind == ProblemKind.ImageConfigInvalid && p.Path.EndsWith(name, StringComparison.Ordinal));
    }

    [Fact]
    public void A_lone_surrogate_in_an_image_config_is_read_as_go_reads_it()
    {
        var config = Encoding.UTF8.GetBytes("{\"os\":\"\\ud800\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        Assert.Equal("image operating system \"\uFFFD\" is not supported on this host",
            ImageConfigJson.TopChainID(config, MobyVersion.Default).Match(Left: e => e, Right: _ => "parsed"));
    }

    [Fact]
    public void A_duplicate_rootfs_key_of_the_wrong_type_fails_as_in_go() =>
        Assert.True(ImageConfigJson.TopChainID("{\"rootfs\":{\"diff_ids\":[]},\"rootfs\":5}"u8.ToArray(), MobyVersion.Default).IsLeft);

    [Fact]
    public void A_container_config_with_invalid_utf8_does_not_crash()
    {
        using var dir = Generated();
        var container = Directory.GetDirectories(Path.Combine(dir.Path, "containers")).Single();
        File.WriteAllBytes(Path.Combine(container, "config.v2.json"), [.. "{\"Name\":\""u8, 0xff, .. "\",\"Driver\":\"\\udc00\"}"u8]);
        var r = Check(dir.Path);
        Assert.Equal(Outcome.Loaded, r.Outcome);
    }

    [Fact]
    public void A_tar_split_line_with_invalid_utf8_in_a_name_is_accepted_as_go_does()
    {
        var v = new TarSplitValidator();
        Assert.True(v.Feed("{\"type\":2,\"payload\":\"\",\"position\":0}"u8));
        Assert.True(v.Feed([.. "{\"type\":1,\"name\":\"a"u8, 0xff, .. "\",\"payload\":null,\"position\":1}"u8]));
        Assert.IsType<TarSplitState.Valid>(v.Finish());
    }

    [Fact]
    public void Tar_split_keys_match_without_case_as_in_go()
    {
        var v = new TarSplitValidator();
        Assert.True(v.Feed("{\"TYPE\":2,\"Payload\":\"\",\"Position\":0}"u8));
        Assert.IsType<TarSplitState.Valid>(v.Finish());
    }

    [Fact]
    public void A_tar_split_whose_last_entry_lacks_its_newline_is_accepted_as_go_does()
    {
        using var dir = Generated();
        var folder = Directory.GetDirectories(Path.Combine(dir.Path, "image/overlay2/layerdb/sha256"))[0];
        var gz = Path.Combine(folder, "tar-split.json.gz");
        byte[] json;
        using (var input = new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            json = buffer.ToArray();
        }
        using (var output = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Optimal))
            output.Write(json.AsSpan(0, json.Length - 1));
        Assert.DoesNotContain(Check(dir.Path).Problems, p => p.Kind == ProblemKind.TarSplitInvalid);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_10000_layer_cycle_is_reported_in_linear_space()
    {
        var b = SnapshotBuilder.Empty;
        var ids = Enumerable.Range(0, 10_000).Select(i => "sha256:" + Digest.Sha256Of(Encoding.ASCII.GetBytes("cy" + i)).Encoded).ToArray();
        for (var i = 0; i < ids.Length; i++)
            b = b.WithLayer(ids[i], Map(("diff", SnapshotBuilder.Text(ids[i])), ("size", SnapshotBuilder.Text("1")),
                ("cache-id", SnapshotBuilder.Text("c" + i)), ("parent", SnapshotBuilder.Text(ids[(i + 1) % ids.Length]))));
        var r = LayerStoreLoad.Load(b.Build(), MobyVersion.Default);
        Assert.Equal(StoreOutcome.Crashes, r.Outcome);
        Assert.Equal(10_000, r.Problems.Count(p => p.Kind == ProblemKind.ParentCycle));
        Assert.All(r.Problems, p => Assert.True(Explain.Message(p).Length < 300, Explain.Message(p)));
        Assert.Contains("(10000 layers in the loop)", Explain.Message(r.Problems.Head), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_root_argument_exits_2()
    {
        var err = new StringWriter();
        Assert.Equal(2, LayerFunctional.Cli.Program.Run(["check", ""], new StringWriter(), err));
        Assert.Equal("layerfn: the docker root is an empty path\n", err.ToString());
    }

    [Fact]
    public void An_empty_driver_name_means_no_driver_named()
    {
        using var dir = Generated();
        var json = new StringWriter();
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--driver", "", "--json"], json, new StringWriter()));
        Assert.Contains("\"selected_by\": \"prior_state\"", json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_folder_that_is_a_file_stops_the_daemon()
    {
        using var dir = Generated();
        Directory.Delete(Path.Combine(dir.Path, "image"), recursive: true);
        File.WriteAllText(Path.Combine(dir.Path, "image"), "x");
        var r = Check(dir.Path);
        Assert.Equal(Outcome.DaemonRefusesToStart, r.Outcome);
        Assert.Contains(r.Problems, p => p.Kind == ProblemKind.LayerdbUnreadable);
    }

    [Fact]
    public void A_driver_home_link_loop_is_not_prior_state()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "overlay2"), "overlay2");
        var r = Check(dir.Path);
        Assert.Equal(Outcome.GraphdriverNotUsed, r.Outcome);
        Assert.Empty(r.Driver.PriorState);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_long_chain_of_sha512_parents_is_read_in_linear_time()
    {
        // Each folder names the next as sha512:<hex>; only the first is listed. Reading follows each
        // newly read folder's parent link instead of rescanning the whole snapshot per level.
        using var dir = new TempDir();
        const int n = 3000;
        var ids = Enumerable.Range(0, n).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(BitConverter.GetBytes(i)))).ToArray();
        var first = Digest.Sha256Of("first"u8).Encoded;
        DiskRoot.WriteLayer(dir.Path, "overlay2", first, "sha256:" + first, "1", "c", "sha512:" + ids[0]);
        for (var i = 0; i < n; i++)
        {
            var folder = $"image/overlay2/layerdb/sha512/{ids[i]}";
            DiskRoot.WriteFile(dir.Path, folder + "/diff", "sha512:" + ids[i]);
            DiskRoot.WriteFile(dir.Path, folder + "/size", "1");
            DiskRoot.WriteFile(dir.Path, folder + "/cache-id", "c" + i);
            if (i + 1 < n) DiskRoot.WriteFile(dir.Path, folder + "/parent", "sha512:" + ids[i + 1]);
        }
        using var reader = DockerRootReader.OnDisk(dir.Path);
        var snapshot = reader.ReadLayerDb("overlay2", MobyVersion.Default);
        Assert.Equal(n + 1, snapshot.Layers.Count);
        var load = LayerStoreLoad.Load(snapshot);
        Assert.Equal(n + 1, load.Store.Layers.Count);
        Assert.Equal(n + 1, load.Store.Layers.Find(l => l.ChainID.Digest.Encoded == first).Map(l => l.Depth).IfNone(0));
    }
}
