using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>The shell on real folders: links, FIFOs and files where folders belong, judged as moby
/// judges them, and nothing under the root changed.</summary>
public class ReaderTests
{
    private const string Db = "image/overlay2/layerdb";
    private static readonly string A = Hex("a");
    private static readonly string B = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"sha256:{A} sha256:{Hex("b")}")));

    private static string Hex(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(s)));

    /// <summary>A healthy root: base A, B on A, a mount on B, and overlay2 prior state.</summary>
    private static TempDir HealthyRoot()
    {
        var dir = new TempDir();
        DiskRoot.WriteLayer(dir.Path, "overlay2", A, "sha256:" + A, "10", "cache-a", null);
        DiskRoot.WriteLayer(dir.Path, "overlay2", B[7..], "sha256:" + Hex("b"), "20", "cache-b", "sha256:" + A);
        DiskRoot.WriteFile(dir.Path, $"{Db}/mounts/m1/mount-id", Hex("m1"));
        DiskRoot.WriteFile(dir.Path, $"{Db}/mounts/m1/parent", B);
        DiskRoot.WriteFile(dir.Path, "overlay2/cache-a/diff/f", "x");
        return dir;
    }

    private static CheckReport Check(string root, string moby = "29.0") =>
        Checker.Check(new CheckOptions(root, MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), None))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static Seq<(string, string)> Problems(CheckReport r) => r.Problems.Map(p => (p.Kind.Id(), p.Path));

    private static string State(string root) => string.Join("\n",
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName} {f.Attributes} {f.LastWriteTimeUtc.Ticks} {(f is FileInfo fi && f.LinkTarget is null && FileTypes.OfLink(fi.FullName) == FileType.Regular ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(fi.FullName))) : f.LinkTarget)}"));

    [Fact]
    public void Healthy_disk_root_loads_and_is_unchanged()
    {
        using var dir = HealthyRoot();
        var before = State(dir.Path);
        var r = Check(dir.Path);
        Assert.Equal(Seq(("sha256:" + A, 1), (B, 1)).OrderBy(x => x.Item1, StringComparer.Ordinal).ToSeq(), r.Store.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount)));
        Assert.Empty(r.Problems);
        Assert.Equal(before, State(dir.Path));
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
        Assert.Equal(Seq1(("mount_parent_unloadable", $"{Db}/mounts/m1/parent")), Problems(r));
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
        Assert.Equal(Seq1(("chain_id_mismatch", $"{Db}/sha256/{B[7..]}")), Problems(r));
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
        Assert.Equal(Seq(("mount_parent_unloadable", $"{Db}/mounts/m1/parent"), ("ancestor_unloadable", $"{Db}/sha256/{B[7..]}/parent"), ("not_a_regular_file", $"{Db}/sha256/{A}/size")),
            Problems(r));
        Assert.Equal(before, State(dir.Path));
    }

    [Fact]
    public void A_metadata_link_out_of_the_root_is_not_followed()
    {
        using var dir = HealthyRoot();
        using var outside = new TempDir();
        File.WriteAllText(Path.Combine(outside.Path, "size"), "10");
        var size = Path.Combine(dir.Path, Db, "sha256", A, "size");
        File.Delete(size);
        File.CreateSymbolicLink(size, Path.Combine(outside.Path, "size"));
        var r = Check(dir.Path);
        Assert.Contains(("symlink_outside_root", $"{Db}/sha256/{A}/size"), Problems(r));
        Assert.Equal("the link is not followed; counted as a failure of layer " + A[..12] + " (moby follows it); drops 1 descendant layer and 1 mount with it",
            r.Problems.Find(p => p.Kind == ProblemKind.SymlinkOutsideRoot).Map(p => p.Consequence).IfNone(""));
    }

    [Fact]
    public void A_metadata_link_inside_the_root_is_followed()
    {
        using var dir = HealthyRoot();
        DiskRoot.WriteFile(dir.Path, "spare/size", "10");
        var size = Path.Combine(dir.Path, Db, "sha256", A, "size");
        File.Delete(size);
        File.CreateSymbolicLink(size, "../../../../../spare/size");
        var r = Check(dir.Path);
        Assert.Empty(r.Problems);
        Assert.Equal(2, r.Store.Layers.Count);
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
        Assert.Equal(1, a.ReferenceCount);
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
    public void Release_names_keep_two_digit_months_up_to_20_10()
    {
        Assert.Equal("19.03", MobyVersion.Parse("19.3").Map(v => v.ToString()).IfLeft(e => e));
        Assert.Equal("20.10", MobyVersion.Parse("20.10.5").Map(v => v.ToString()).IfLeft(e => e));
        Assert.Equal("23.0", MobyVersion.Parse("23").Map(v => v.ToString()).IfLeft(e => e));
    }
}
