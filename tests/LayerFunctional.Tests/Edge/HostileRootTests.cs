using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Edge;

/// <summary>
/// Hostile and damaged roots built on temporary folders: each asserts the exact problem (kind, path), that
/// the check returns, and that the root's state (type, size, mode, mtime, content hash and link target of
/// every entry) is the same before and after the check.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public partial class HostileRootTests
{
    private static readonly GeneratedRoot Model = RootGenerator.Generate(21, new GeneratorOptions(4, 1, 1));

    /// <summary>A base layer no image or mount uses: faults in it change nothing else.</summary>
    private static readonly GeneratedLayer Leaf = Model.Layers.Find(l =>
            l.ReferenceCount == 0 && !Model.Images.Exists(i => i.Top == l.ChainID) && !Model.Mounts.Exists(m => m.Parent == l.ChainID))
        .IfNone(() => throw new InvalidOperationException("seed 21 has no unused leaf"));

    private static TempDir Written()
    {
        var dir = new TempDir();
        RootWriter.Write(dir.Path, Model).IfLeft(e => throw new InvalidOperationException(e));
        return dir;
    }

    /// <summary>Checks the root and asserts that nothing under it changed.</summary>
    private static CheckReport CheckUnchanged(string root)
    {
        var before = RootState.Of(root);
        var report = Checker.Check(new CheckOptions(root, MobyVersion.Default, None)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(before, RootState.Of(root));
        return report;
    }

    private static Seq<(string, string)> Problems(CheckReport r) => r.Problems.Map(p => (p.Kind.Id(), p.Path)).Strict();

    private static void Replace(string root, string relative, Action<string> make)
    {
        var path = Path.Combine(root, relative);
        File.Delete(path);
        make(path);
    }

    [Fact]
    public void A_layer_file_linked_to_a_file_outside_the_root_is_not_followed()
    {
        using var dir = Written();
        Replace(dir.Path, Leaf.Folder + "/size", p => File.CreateSymbolicLink(p, "/etc/hostname"));
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq1(("symlink_outside_root", Leaf.Folder + "/size")), Problems(r));
        Assert.Contains(r.Store.SkippedLayers, s => s.ChainID == Leaf.ChainID);
    }

    [Fact]
    public void A_layer_folder_linked_to_a_folder_outside_the_root_is_not_listed_or_followed()
    {
        using var dir = Written();
        using var outside = new TempDir();
        DiskRoot.WriteFile(outside.Path, "diff", Leaf.DiffID.ToString());
        var link = RootGenerator.LayerDb + "/sha256/" + new string('1', 64);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, link), outside.Path);
        var outsideBefore = RootState.Of(outside.Path);
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq1(("layer_dir_is_symlink", link)), Problems(r));
        Assert.Equal(outsideBefore, RootState.Of(outside.Path));
    }

    [Fact]
    public void A_fifo_named_size_is_reported_and_never_opened()
    {
        using var dir = Written();
        Replace(dir.Path, Leaf.Folder + "/size", p => Assert.Equal(0, MkFifo(p, 0x1A4)));
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq1(("not_a_regular_file", Leaf.Folder + "/size")), Problems(r));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_1_GiB_sparse_diff_is_too_large_and_not_read()
    {
        using var dir = Written();
        Replace(dir.Path, Leaf.Folder + "/diff", p =>
        {
            using var f = File.Create(p);
            f.SetLength(1L << 30);
        });
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq1(("file_too_large", Leaf.Folder + "/diff")), Problems(r));
        Assert.Contains("1073741824", Explain.Message(r.Problems.Head), StringComparison.Ordinal);
    }

    [Fact]
    public void A_10_MB_cache_id_is_read_whole_as_moby_does_and_names_no_folder()
    {
        using var dir = Written();
        File.WriteAllBytes(Path.Combine(dir.Path, Leaf.Folder, "cache-id"), Encoding.ASCII.GetBytes(new string('a', 10_000_000)));
        var r = CheckUnchanged(dir.Path);
        // moby loads the layer with that cache ID; no folder can have such a name; the old folder is nobody's.
        Assert.Equal(Seq(("cache_dir_missing", Leaf.Folder + "/cache-id"), ("file_too_large", Leaf.Folder + "/cache-id"), ("orphan_driver_dir", "overlay2/" + Leaf.CacheID)),
            Problems(r));
        Assert.Equal(0, r.Store.SkippedLayers.Count);
    }

    [Fact]
    public void Names_with_invalid_utf8_and_newlines_are_reported_and_escaped_in_human_output()
    {
        using var dir = Written();
        var sha = Path.Combine(dir.Path, RootGenerator.LayerDb, "sha256");
        Assert.Equal(0, MkDir([.. Encoding.UTF8.GetBytes(sha + "/bad"), 0xff, .. "name"u8, 0], 0x1ED));
        Directory.CreateDirectory(Path.Combine(sha, "new\nline"));
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq(("invalid_layer_dir_entry", RootGenerator.LayerDb + "/sha256/bad\uFFFDname"), ("invalid_layer_dir_entry", RootGenerator.LayerDb + "/sha256/new\nline")),
            Problems(r));
        Assert.Contains("is not valid UTF-8", Explain.Message(r.Problems.Head), StringComparison.Ordinal);
        var stdout = new StringWriter();
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path], stdout, new StringWriter()));   // warnings only
        var human = stdout.ToString();
        Assert.Contains("\"" + RootGenerator.LayerDb + "/sha256/new\\nline\"", human, StringComparison.Ordinal);
        Assert.DoesNotContain("new\nline", human, StringComparison.Ordinal);
        var json = new StringWriter();
        LayerFunctional.Cli.Program.Run(["check", dir.Path, "--json"], json, new StringWriter());
        using var doc = JsonDocument.Parse(json.ToString());
        Assert.Contains(doc.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("path").GetString() == RootGenerator.LayerDb + "/sha256/new\nline");
    }

    [Fact]
    public void A_cycle_of_1000_layers_on_disk_is_reported_and_the_check_returns()
    {
        using var dir = new TempDir();
        var ids = Enumerable.Range(0, 1000).Select(i => Digest.Sha256Of(Encoding.ASCII.GetBytes("cycle" + i)).Encoded).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            DiskRoot.WriteLayer(dir.Path, "overlay2", ids[i], "sha256:" + ids[i], "1", ids[i], "sha256:" + ids[(i + 1) % ids.Length]);
            Directory.CreateDirectory(Path.Combine(dir.Path, "overlay2", ids[i], "diff"));
        }
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(ids.Select(i => ("parent_cycle", RootGenerator.LayerDb + "/sha256/" + i + "/parent")).Order(),
            Problems(r).Filter(p => p.Item1 == "parent_cycle").Order());
        Assert.Empty(r.Store.Layers);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_layer_folder_with_100000_entries_loads_and_the_check_returns()
    {
        using var dir = Written();
        var folder = Path.Combine(dir.Path, Leaf.Folder);
        for (var i = 0; i < 100_000; i++) File.WriteAllBytes(Path.Combine(folder, "extra-" + i), []);
        var r = CheckUnchanged(dir.Path);
        Assert.Empty(r.Problems);
        Assert.Contains(r.Store.Layers, l => l.ChainID == Leaf.ChainID);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_mounts_folder_of_100000_names_finishes_with_one_problem_each()
    {
        using var dir = Written();
        var mounts = Path.Combine(dir.Path, RootGenerator.LayerDb, "mounts");
        for (var i = 0; i < 100_000; i++) Directory.CreateDirectory(Path.Combine(mounts, "m" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)));
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(100_000, r.Problems.Count(p => p.Kind == ProblemKind.MountIdMissing));
        Assert.Equal(Model.Mounts.Count, r.Store.Mounts.Count);
    }

    /// <summary>A folder the checking user cannot read: as root, the check runs as user nobody (setpriv);
    /// as any other user, the folder's mode is 000.</summary>
    [Fact]
    public void A_layer_folder_the_reader_cannot_list_is_entry_unreadable_and_the_rest_is_checked()
    {
        using var dir = Written();
        var folder = Path.Combine(dir.Path, Leaf.Folder);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED);   // 0755: nobody may enter the root
        var before = RootState.Of(dir.Path);
        File.SetUnixFileMode(folder, 0);
        var json = CheckJsonTextAsNobody(dir.Path, expectExit: 1);
        File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
        Assert.Equal(before, RootState.Of(dir.Path));
        using var doc = JsonDocument.Parse(json);
        var problems = doc.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("kind").GetString(), p.GetProperty("path").GetString())).ToList();
        Assert.Contains(("entry_unreadable", Leaf.Folder), problems);
        Assert.Equal(Model.Layers.Count - 1, doc.RootElement.GetProperty("layers").GetArrayLength());
    }

    [Fact]
    public void A_mount_folder_whose_valid_utf8_name_holds_U_FFFD_is_a_folder_like_any_other()
    {
        // EF BF BD is valid UTF-8 (U+FFFD itself): the name can be examined, unlike undecodable bytes.
        using var dir = Written();
        Directory.CreateDirectory(Path.Combine(dir.Path, RootGenerator.LayerDb, "mounts", "abc\uFFFD"));
        var r = CheckUnchanged(dir.Path);
        Assert.Equal(Seq(("mount_without_container", RootGenerator.LayerDb + "/mounts/abc\uFFFD"), ("mount_id_missing", RootGenerator.LayerDb + "/mounts/abc\uFFFD/mount-id")),
            Problems(r));
    }

    /// <summary>The output of <c>check --json</c> run as user nobody when root (setpriv), else in process.</summary>
    /// <param name="root">The root to check.</param>
    /// <param name="expectExit">The exit code the setpriv run must give; null for 0 or 1.</param>
    private static string CheckJsonTextAsNobody(string root, int? expectExit)
    {
        if (Environment.UserName != "root")
        {
            var stdout = new StringWriter();
            LayerFunctional.Cli.Program.Run(["check", root, "--json"], stdout, new StringWriter());
            return stdout.ToString();
        }
        var cli = Path.Combine(SharedData.RepoRoot, "src", "LayerFunctional.Cli", "bin",
            typeof(HostileRootTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "layerfn.dll");
        var start = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", cli, "check", root, "--json"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["HOME"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        using var p = Process.Start(start)!;
        var json = p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(expectExit is { } code ? p.ExitCode == code : p.ExitCode is 0 or 1, $"setpriv check exited {p.ExitCode}: {err}");
        return json;
    }

    /// <summary>Runs <c>check --json</c> as user nobody when root (setpriv), else in process; returns the problems
    /// (kind, path, message) and the outcome.</summary>
    private static (List<(string Kind, string Path, string Message)> Problems, string Outcome) CheckJsonAsNobody(string root)
    {
        var json = CheckJsonTextAsNobody(root, expectExit: null);
        using var doc = JsonDocument.Parse(json);
        return (doc.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (p.GetProperty("kind").GetString()!, p.GetProperty("path").GetString()!, p.GetProperty("message").GetString()!)).ToList(),
            doc.RootElement.GetProperty("outcome").GetString()!);
    }

    /// <summary>A folder that can be listed but not searched (mode r--): its entries cannot be examined, so the folder
    /// as a whole cannot be read, as a listing that examines each entry finds; the message names the first entry.</summary>
    [Fact]
    public void A_layer_folder_the_reader_may_list_but_not_search_is_entry_unreadable_on_the_folder()
    {
        using var dir = Written();
        var folder = Path.Combine(dir.Path, Leaf.Folder);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED);
        var before = RootState.Of(dir.Path);
        File.SetUnixFileMode(folder, (UnixFileMode)0x124);   // 0444
        try
        {
            var (problems, _) = CheckJsonAsNobody(dir.Path);
            var unreadable = Assert.Single(problems, p => p.Kind == "entry_unreadable");
            Assert.Equal(Leaf.Folder, unreadable.Path);
            Assert.Contains("Access to the path '" + folder + "/", unreadable.Message, StringComparison.Ordinal);
            Assert.EndsWith("' is denied.", unreadable.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
        }
        Assert.Equal(before, RootState.Of(dir.Path));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_sha256_folder_the_reader_cannot_open_or_search_fails_the_listing_with_the_same_message()
    {
        using var dir = Written();
        var sha = Path.Combine(dir.Path, RootGenerator.LayerDb, "sha256");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED);
        foreach (var mode in new[] { 0, 0x124 })   // 000: cannot be opened; 0444: listed, but no entry can be examined
        {
            File.SetUnixFileMode(sha, (UnixFileMode)mode);
            try
            {
                var (problems, outcome) = CheckJsonAsNobody(dir.Path);
                Assert.Equal("daemon_refuses_to_start", outcome);
                var denied = "Access to the path '" + sha + (mode == 0 ? "' is denied." : "/");
                Assert.Contains(problems, p => p.Path == RootGenerator.LayerDb + "/sha256" && p.Message.Contains(denied, StringComparison.Ordinal));
            }
            finally
            {
                File.SetUnixFileMode(sha, (UnixFileMode)0x1ED);
            }
        }
    }

    /// <summary>A driver folder that can be listed but not searched: the short link to its diff cannot be followed
    /// (stat fails), so the link is dangling as far as the reader can tell.</summary>
    [Fact]
    public void A_short_link_into_a_driver_folder_the_reader_cannot_search_is_dangling()
    {
        using var dir = Written();
        var folder = Path.Combine(dir.Path, "overlay2", Leaf.CacheID);
        var shortName = File.ReadAllText(Path.Combine(folder, "link")).Trim();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(folder, (UnixFileMode)0x124);
        try
        {
            var (problems, _) = CheckJsonAsNobody(dir.Path);
            Assert.Contains(problems, p => p.Kind == "overlay_symlink_dangling" && p.Path == "overlay2/l/" + shortName);
        }
        finally
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, int mode);

    [LibraryImport("libc", EntryPoint = "mkdir")]
    private static unsafe partial int MkDirRaw(byte* path, int mode);

    private static unsafe int MkDir(byte[] nulTerminatedPath, int mode)
    {
        fixed (byte* p = nulTerminatedPath) return MkDirRaw(p, mode);
    }
}

/// <summary>Failures while reading, made by a file system that fails on purpose (the disk cannot be made to).</summary>
public class ReadFailureTests
{
    private static readonly GeneratedRoot Model = RootGenerator.Generate(21, new GeneratorOptions(4, 1, 1));
    private const string Root = InMemoryRootFileSystem.Root;

    private static CheckReport Check(Func<string, bool> ioErrorAt, Func<string, IEnumerable<string>> vanishedIn) =>
        Checker.CheckFileSystem(new CheckOptions(Root, MobyVersion.Default, None), Root,
                new FlakyFileSystem(new InMemoryRootFileSystem(Model), ioErrorAt, vanishedIn))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    [Fact]
    public void An_io_error_on_one_file_is_entry_unreadable_and_the_rest_is_checked()
    {
        var layer = Model.Layers.Find(l => l.ReferenceCount == 0).IfNone(() => throw new InvalidOperationException());
        var r = Check(p => p == Root + "/" + layer.Folder + "/size", _ => []);
        Assert.Equal(Seq1(("entry_unreadable", layer.Folder + "/size")), r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Contains("Input/output error", Explain.Message(r.Problems.Head), StringComparison.Ordinal);
        Assert.Equal(Model.Layers.Count - 1, r.Store.Layers.Count);
        Assert.Equal(Model.Mounts.Count, r.Store.Mounts.Count);
    }

    [Fact]
    public void An_io_error_listing_a_layer_folder_is_entry_unreadable()
    {
        var layer = Model.Layers.Find(l => l.ReferenceCount == 0).IfNone(() => throw new InvalidOperationException());
        var r = Check(p => p == Root + "/" + layer.Folder, _ => []);
        Assert.Contains(("entry_unreadable", layer.Folder), r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(Model.Layers.Count - 1, r.Store.Layers.Count);
    }

    [Fact]
    public void Files_and_folders_that_vanish_between_listing_and_reading_change_nothing_else()
    {
        var layer = Model.Layers.Head;
        var r = Check(_ => false, p =>
            p == Root + "/" + RootGenerator.LayerDb + "/sha256" ? [new string('a', 64)]
            : p == Root + "/" + layer.Folder ? ["descriptor.json.tmp"]
            : []);
        Assert.Equal(Seq<(string, string)>(), r.Problems.Map(p => (p.Kind.Id(), p.Path + " " + Explain.Message(p))));
        Assert.Equal(Model.Layers.Count, r.Store.Layers.Count);
    }
}

/// <summary>Container folders whose config moby cannot load (found by the long property run: an empty
/// config.v2.json used to make the container vanish from the report without a word).</summary>
/// <summary>Cache IDs moby accepts (any non-empty text from 18.06) but that cannot name one driver folder
/// (found by the 100,000-case run of the random-bytes property: a cache-id of one NUL byte went unreported).</summary>
public class CacheIdPathTests
{
    private static readonly GeneratedRoot Model = RootGenerator.Generate(21, new GeneratorOptions(4, 1, 1));

    [Theory]
    [InlineData("\0")]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]   // 275 bytes: over NAME_MAX (255)
    public void A_cache_id_that_cannot_name_a_folder_is_cache_dir_missing_on_the_cache_id_file(string cacheId)
    {
        var leaf = Model.Layers.Find(l => l.ReferenceCount == 0 && !Model.Images.Exists(i => i.Top == l.ChainID)).IfNone(() => throw new InvalidOperationException());
        var broken = Model.With(new GeneratedEntry.File(leaf.Folder + "/cache-id", Encoding.UTF8.GetBytes(cacheId)))
            .Without("overlay2/l/" + leaf.OverlayLink).Without("overlay2/" + leaf.CacheID);
        var r = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), broken).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(Seq1(("cache_dir_missing", leaf.Folder + "/cache-id")), r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Contains(r.Store.Layers, l => l.ChainID == leaf.ChainID);
    }
}

/// <summary>Found by a walk through the README as a new user.</summary>
public class WalkthroughFindingTests
{
    [Theory]
    [InlineData("17.06.2-ce", "17.06")]
    [InlineData("20.10.24+dfsg1", "20.10")]
    [InlineData("24.0.7-0ubuntu4", "24.0")]
    [InlineData("29.0.0-rc.1", "29.0")]
    [InlineData("Docker version 24.0.7, build afdd53b", "24.0")]
    public void Release_strings_as_docker_prints_them_name_their_rules(string text, string rules) =>
        Assert.Equal(rules, MobyVersion.Parse(text).Match(Right: v => v.ToString(), Left: e => e));

    [Fact]
    public void Which_follows_an_overlay2_short_link_to_the_layer()
    {
        var root = Path.Combine(SharedData.RepoRoot, "samples", "docker-root");
        var stdout = new StringWriter();
        var code = LayerFunctional.Cli.Program.Run(["which", root + "/overlay2/l/TQYFT3HAQTWJN6Q3GPN765XQTT/etc", "--root", root, "--json"], stdout, new StringWriter());
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.Equal("overlay2/84f2999c3f40515f4379491d0b580ad723a185f73e8c3146ef9563634ee61cc9/diff/etc", doc.RootElement.GetProperty("query").GetString());
        Assert.Equal("sha256:eff9fc81dcd2e08d409e62dd0c8811d4e4994908bddc0b61a772f9ca4fbfac51", doc.RootElement.GetProperty("chain_id").GetString());
    }

    [Fact]
    public void Which_reads_no_short_link_whose_l_folder_a_link_leads_out_of_the_root()
    {
        // The sample root copied, its overlay2/l moved beside the root and linked back: the short link's text is not read
        // through it, so the path is answered as given, not as the layer's diff folder.
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
            {
                var target = Path.Combine(to, entry.Name);
                if (entry.LinkTarget is { } link) File.CreateSymbolicLink(target, link);
                else if (entry is DirectoryInfo) Copy(entry.FullName, target);
                else File.Copy(entry.FullName, target);
            }
        }
        Copy(Path.Combine(SharedData.RepoRoot, "samples", "docker-root"), root);
        Directory.Move(Path.Combine(root, "overlay2", "l"), Path.Combine(dir.Path, "l"));
        File.CreateSymbolicLink(Path.Combine(root, "overlay2", "l"), Path.Combine(dir.Path, "l"));
        var stdout = new StringWriter();
        LayerFunctional.Cli.Program.Run(["which", root + "/overlay2/l/TQYFT3HAQTWJN6Q3GPN765XQTT/etc", "--root", root, "--json"], stdout, new StringWriter());
        using var doc = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.Equal("overlay2/l/TQYFT3HAQTWJN6Q3GPN765XQTT/etc", doc.RootElement.GetProperty("query").GetString());
        Assert.Equal(("unknown", System.Text.Json.JsonValueKind.Null), (doc.RootElement.GetProperty("kind").GetString(), doc.RootElement.GetProperty("chain_id").ValueKind));
    }

    [Fact]
    public void Mount_command_by_name_of_a_container_whose_mount_is_skipped_says_so()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = LayerFunctional.Cli.Program.Run(["mount-command", "tool-1", "--root", Path.Combine(SharedData.RepoRoot, "samples", "docker-root")], stdout, stderr);
        Assert.Equal((1, "", "layerfn: container tool-1: moby does not load its mount (see layerfn check)\n"), (code, stdout.ToString(), stderr.ToString()));
    }
}
