using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Content;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Tests.Core.Generation;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Content;

/// <summary>
/// Content verification (<c>check --content</c>): the tar stream rebuilt from tar-split and the driver's folder hashes
/// to the diff ID on intact roots (generated, the sample, a case), and each kind of damage to one file is reported as
/// one <c>layer_content_mismatch</c> naming that file.
/// </summary>
public partial class ContentTests
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, int mode);

    private static readonly GeneratedRoot Model = RootGenerator.Generate(17, new GeneratorOptions(Layers: 8, Mounts: 2, Images: 2));

    private static CheckOptions Options(string root, bool content = true) => new(root, MobyVersion.Default, None, VerifyContent: content);

    private static CheckReport Check(CheckOptions options) => Checker.Check(options).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static Seq<LayerContent> ContentOf(CheckReport report) => report.Content.IfNone(() => throw new Xunit.Sdk.XunitException("no content verdicts"));

    private static string Diff(GeneratedLayer l) => $"overlay2/{l.CacheID}/diff";

    /// <summary>A layer with files in a sub-folder and an image or container using it, and its first non-empty file.</summary>
    private static (GeneratedLayer Layer, GeneratedEntry.File File) Target(GeneratedRoot model) =>
        model.Layers.Choose(l => model.Entries.Find(e => e is GeneratedEntry.File f && f.Bytes.Length > 1 && e.Path.StartsWith(Diff(l) + "/", StringComparison.Ordinal))
                .Map(e => (l, (GeneratedEntry.File)e)))
            .OrderByDescending(x => model.Images.Exists(i => i.Top == x.l.ChainID)).First();

    [Fact]
    public void An_intact_generated_root_verifies_every_layer_on_disk_and_in_memory_with_the_diff_ids_recomputed()
    {
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, Model).IfLeft(e => throw new InvalidOperationException(e));
        var before = RootState.Of(dir.Path);
        var report = Check(Options(dir.Path));
        Assert.Empty(report.Problems);
        var content = ContentOf(report);
        Assert.Equal(Model.Layers.Map(l => l.ChainID.ToString()), content.Map(c => c.ChainID.ToString()));
        Assert.All(content, c => Assert.IsType<ContentVerdict.Verified>(c.Verdict));
        // The verified stream is the generator's own tar: same length, and its SHA-256 is the diff ID.
        foreach (var layer in Model.Layers)
        {
            var verdict = (ContentVerdict.Verified)content.Find(c => c.ChainID == layer.ChainID).Map(c => c.Verdict).IfNone(() => throw new InvalidOperationException());
            var members = Model.Entries.Filter(e => e.Path.StartsWith(Diff(layer) + "/", StringComparison.Ordinal)).ToList();
            Assert.Equal(layer.Size, members.OfType<GeneratedEntry.File>().Sum(f => (long)f.Bytes.Length));
            Assert.True(verdict.TarBytes > layer.Size && verdict.TarBytes % 512 == 0);
            Assert.Equal(members.Count, verdict.Files);
            Assert.Equal(layer.DiffID, report.Store.Layers.Find(l => l.ChainID == layer.ChainID).Map(l => l.DiffID).IfNone(() => throw new InvalidOperationException()));
        }
        Assert.Equal(before, RootState.Of(dir.Path));
        var memory = Checker.CheckGenerated(Options(dir.Path), Model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(ReportJson.Render(report), ReportJson.Render(memory));
    }

    [Fact]
    public void Without_content_the_report_has_no_content_verdicts_and_the_json_no_content_key()
    {
        var report = Checker.CheckGenerated(Options("/m", content: false), Model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.True(report.Content.IsNone);
        Assert.DoesNotContain("\"content\"", ReportJson.Render(report), StringComparison.Ordinal);
        var with = Checker.CheckGenerated(Options("/m"), Model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        using var doc = JsonDocument.Parse(ReportJson.Render(with));
        Assert.Equal(Model.Layers.Count, doc.RootElement.GetProperty("content").EnumerateArray().Count(c => c.GetProperty("status").GetString() == "verified"));
    }

    [Fact]
    public void The_sample_root_verifies_every_loaded_layer_from_its_content_folder()
    {
        var sample = Path.Combine(SharedData.RepoRoot, "samples", "docker-root");
        var report = Check(Options(sample));
        var content = ContentOf(report);
        Assert.Equal(3, content.Count);
        Assert.Equal(report.Store.Layers.Map(l => l.ChainID), content.Map(c => c.ChainID));
        foreach (var c in content)
        {
            Assert.True(Directory.Exists(Path.Combine(sample, c.ContentPath)), c.ContentPath);
            Assert.IsType<ContentVerdict.Verified>(c.Verdict);
        }
        Assert.DoesNotContain(report.Problems, p => p.Kind == ProblemKind.LayerContentMismatch);
    }

    [SharedFact]
    public void Case_22_verifies_the_layer_with_a_valid_tar_split_and_explains_the_two_without()
    {
        using var unpacked = SharedData.Unpack(Path.Combine(SharedData.Cases, "22-tar-split-missing-or-invalid", "root.tar.gz"));
        var root = Path.Combine(unpacked.Path, "root");
        var report = Check(Options(root));
        Assert.Equal(["tar_split_invalid", "tar_split_missing"], report.Problems.Map(p => p.Kind.Id()).Order(StringComparer.Ordinal));
        var content = ContentOf(report).ToDictionary(c => c.ChainID.Short, c => c.Verdict);
        var b1 = Assert.IsType<ContentVerdict.Verified>(content["e5a510e4675c"]);
        Assert.Equal(4, b1.Files);
        Assert.Equal("tar-split.json.gz is missing: the tar stream cannot be rebuilt", Assert.IsType<ContentVerdict.NotVerified>(content["528180eef2be"]).Reason);
        Assert.StartsWith("tar-split.json.gz is invalid: ", Assert.IsType<ContentVerdict.NotVerified>(content["b2f63b44bbeb"]).Reason, StringComparison.Ordinal);
        // B1's diff ID, recomputed here from the rebuilt stream's definition: a base layer's chain ID is its diff ID.
        Assert.Equal("sha256:e5a510e4675c0663a41b98220775859f1008a62248634ed8bddec71d4f490117",
            report.Store.Layers.Find(l => l.ChainID.Short == "e5a510e4675c").Map(l => l.DiffID.ToString()).IfNone(""));
    }

    public enum Fault { FlipOneByte, Truncate, Delete, AddFile, ReplaceBySymlinkOutOfRoot, ReplaceByFifo }

    [Theory]
    [InlineData(Fault.FlipOneByte, "file_content")]
    [InlineData(Fault.Truncate, "file_size")]
    [InlineData(Fault.Delete, "file_missing")]
    [InlineData(Fault.AddFile, "file_added")]
    [InlineData(Fault.ReplaceBySymlinkOutOfRoot, "file_not_regular")]
    [InlineData(Fault.ReplaceByFifo, "file_not_regular")]
    public void One_damaged_file_on_disk_is_reported_with_its_path_its_layer_and_who_uses_the_layer(Fault fault, string difference)
    {
        var (layer, file) = Target(Model);
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, Model).IfLeft(e => throw new InvalidOperationException(e));
        var full = Path.Combine(dir.Path, file.Path);
        var expectedPath = file.Path;
        switch (fault)
        {
            case Fault.FlipOneByte:
                var bytes = File.ReadAllBytes(full);
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(full, bytes);
                break;
            case Fault.Truncate:
                using (var s = new FileStream(full, FileMode.Open)) s.SetLength(s.Length - 1);
                break;
            case Fault.Delete:
                File.Delete(full);
                break;
            case Fault.AddFile:
                expectedPath = Diff(layer) + "/zz-added.txt";
                File.WriteAllText(Path.Combine(dir.Path, expectedPath), "not in the tar\n");
                break;
            case Fault.ReplaceBySymlinkOutOfRoot:
                File.Delete(full);
                File.CreateSymbolicLink(full, "/etc/hostname");
                break;
            case Fault.ReplaceByFifo:
                File.Delete(full);
                Assert.Equal(0, MkFifo(full, 0x1A4));
                break;
        }
        var before = RootState.Of(dir.Path);
        var report = Check(Options(dir.Path));
        var problem = Assert.Single(report.Problems);
        Assert.Equal((ProblemKind.LayerContentMismatch, Severity.Error, expectedPath, Some(layer.ChainID), Some(layer.CacheID)),
            (problem.Kind, problem.Severity, problem.Path, problem.ChainId, problem.CacheId));
        var differs = Assert.IsType<ContentVerdict.Differs>(ContentOf(report).Find(c => c.ChainID == layer.ChainID).Map(c => c.Verdict).IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(difference, differs.Difference.Kind.Id());
        var images = Model.Images.Filter(i => Below(Model, layer.ChainID).Contains(i.Top.ToString())).Count;
        Assert.Contains(images > 0 ? $"used by {images} image" : "no restored image", Explain.Consequence(problem), StringComparison.Ordinal);
        Assert.Equal(ContentOf(report).Count - 1, ContentOf(report).Count(c => c.Verdict is ContentVerdict.Verified));
        Assert.Equal(before, RootState.Of(dir.Path));
        // Without --content nothing is read and nothing reported.
        Assert.Empty(Check(Options(dir.Path, content: false)).Problems);
    }

    [Fact]
    public void Links_in_or_to_a_content_folder_are_never_followed()
    {
        var (layer, file) = Target(Model);
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, Model).IfLeft(e => throw new InvalidOperationException(e));
        // The member's folder becomes a link to /etc: its file is missing from the layer, whatever /etc holds.
        var sub = Path.GetDirectoryName(Path.Combine(dir.Path, file.Path))!;
        Directory.Delete(sub, recursive: true);
        Directory.CreateSymbolicLink(sub, "/etc");
        var report = Check(Options(dir.Path));
        var problem = Assert.Single(report.Problems);
        Assert.Equal((ProblemKind.LayerContentMismatch, file.Path), (problem.Kind, problem.Path));
        // The whole content folder a link out of the root: not verified, and nothing read there.
        var diff = Path.Combine(dir.Path, Diff(layer));
        Directory.Delete(diff, recursive: true);
        Directory.CreateSymbolicLink(diff, "/etc");
        var outside = Check(Options(dir.Path));
        Assert.DoesNotContain(outside.Problems, p => p.Kind == ProblemKind.LayerContentMismatch);
        Assert.Equal("the content folder leads outside the docker root (not followed)",
            Assert.IsType<ContentVerdict.NotVerified>(ContentOf(outside).Find(c => c.ChainID == layer.ChainID).Map(c => c.Verdict).IfNone(() => throw new InvalidOperationException())).Reason);
    }

    private static System.Collections.Generic.HashSet<string> Below(GeneratedRoot model, ChainID chain)
    {
        var set = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal) { chain.ToString() };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var l in model.Layers)
                if (l.Parent.Exists(p => set.Contains(p.ToString())) && set.Add(l.ChainID.ToString())) grew = true;
        }
        return set;
    }

    [Fact]
    public void Content_only_verifies_the_named_layers_and_an_unknown_chain_id_is_an_error()
    {
        var pick = Model.Layers[3];
        var report = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None, ContentOnly: Seq1(pick.ChainID.Digest.Encoded[..10])), Model)
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(new[] { pick.ChainID.ToString() }, ContentOf(report).Map(c => c.ChainID.ToString()));
        var unknown = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None, ContentOnly: Seq1("sha256:" + new string('0', 64))), Model);
        Assert.Equal("--content-only sha256:" + new string('0', 64) + ": no loaded layer has this chain ID", unknown.Match(Left: e => e, Right: _ => ""));
    }

    [Fact]
    public void The_cli_takes_content_and_content_only_and_exits_1_on_a_mismatch_2_on_an_unknown_layer()
    {
        var model = CorruptersTests.Corrupted(4, new GeneratorOptions(5, 1, 1), ProblemKind.LayerContentMismatch);
        using var dir = new TempDir();
        RootWriter.Write(dir.Path, model).IfLeft(e => throw new InvalidOperationException(e));
        int Run(params string[] args) => LayerFunctional.Cli.Program.Run(args, new StringWriter(), new StringWriter());
        Assert.Equal(0, Run("check", dir.Path));
        Assert.Equal(1, Run("check", dir.Path, "--content"));
        var bad = model.Expected.Problems.Single();
        var chain = model.Layers.Find(l => bad.Path.StartsWith(Diff(l) + "/", StringComparison.Ordinal)).Map(l => l.ChainID).IfNone(() => throw new InvalidOperationException());
        var good = model.Layers.Find(l => l.ChainID != chain).Map(l => l.ChainID).IfNone(() => throw new InvalidOperationException());
        Assert.Equal(1, Run("check", dir.Path, "--content-only", chain.ToString()));
        Assert.Equal(0, Run("check", dir.Path, "--content-only", good.ToString()));
        Assert.Equal(2, Run("check", dir.Path, "--content-only", "0123456789ab"));
        var stdout = new StringWriter();
        LayerFunctional.Cli.Program.Run(["check", dir.Path, "--content"], stdout, new StringWriter());
        Assert.Contains($"  layer_content_mismatch  {bad.Path}", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("DIFFERS", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_with_a_content_corruption_prints_a_check_with_content_that_reports_exactly_the_expected_problems()
    {
        using var dir = new TempDir();
        var stdout = new StringWriter();
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["generate", dir.Path, "--seed", "3", "--layers", "4", "--corrupt", "layer_content_mismatch", "--corrupt", "chain_id_mismatch"], stdout, new StringWriter()));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"check: layerfn check {dir.Path} --content", lines[2]);
        var expected = lines.Where(l => l.StartsWith("expect: ", StringComparison.Ordinal)).Select(l => l["expect: ".Length..]).ToList();
        Assert.Equal(["chain_id_mismatch", "layer_content_mismatch", "layer_content_mismatch"], expected.Select(e => e.Split(' ')[0]).Order(StringComparer.Ordinal));
        var json = new StringWriter();
        Assert.Equal(1, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--content", "--json"], json, new StringWriter()));
        using var doc = JsonDocument.Parse(json.ToString());
        Assert.Equal(expected, doc.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => p.GetProperty("kind").GetString() + " " + p.GetProperty("path").GetString()).ToList());
        Assert.Equal(["differs", "differs", "verified", "verified", "verified", "verified"],
            doc.RootElement.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("status").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_member_name_that_is_not_utf8_leaves_its_layer_not_verified_instead_of_a_false_mismatch()
    {
        var (layer, file) = Target(Model);
        var path = layer.Folder + "/tar-split.json.gz";
        var json = Encoding.UTF8.GetString(Gunzip(Model.FileAt(path).IfNone(() => throw new InvalidOperationException())));
        var member = file.Path[(Diff(layer).Length + 1)..];
        var raw = Convert.ToBase64String([.. Encoding.UTF8.GetBytes(member), 0xff]);
        var changed = json.Replace($"\"name\":\"{member}\"", $"\"name_raw\":\"{raw}\"", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        using var gz = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(Encoding.UTF8.GetBytes(changed));
        var model = Model.With(new GeneratedEntry.File(path, gz.ToArray()));
        var report = Checker.CheckGenerated(Options("/m"), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Empty(report.Problems);
        var verdict = Assert.IsType<ContentVerdict.NotVerified>(ContentOf(report).Find(c => c.ChainID == layer.ChainID).Map(c => c.Verdict).IfNone(() => throw new InvalidOperationException()));
        Assert.Contains("not valid UTF-8", verdict.Reason, StringComparison.Ordinal);
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var z = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var o = new MemoryStream();
        z.CopyTo(o);
        return o.ToArray();
    }

    // ---- the core's pure parts ------------------------------------------------------------------

    [Fact]
    public void Tar_split_lines_decode_as_gos_decoder_fills_storage_entry()
    {
        // layer-store.md §1.7's example: etc/hello holding "hello\n".
        var file = Assert.IsType<TarSplitEntry.File>(TarSplitEntries.Decode(Encoding.UTF8.GetBytes("""{"type":1,"name":"etc/hello","size":6,"payload":"YUw+7uLYEAA=","position":3}""")).IfLeft(e => throw new Xunit.Sdk.XunitException(e)));
        Assert.Equal(("etc/hello", false, 6L, Some(0x614c3eeee2d81000UL), 3L), (file.Name, file.NameIsRaw, file.Size, file.Crc, file.Position));
        Assert.Equal(0x614c3eeee2d81000UL, Crc64Iso.Compute("hello\n"u8));
        var dir = Assert.IsType<TarSplitEntry.File>(TarSplitEntries.Decode("""{"TYPE":1,"Name":"etc/","payload":null,"position":1}"""u8).IfLeft(e => throw new Xunit.Sdk.XunitException(e)));
        Assert.Equal(("etc/", 0L, Option<ulong>.None), (dir.Name, dir.Size, dir.Crc));
        var raw = Assert.IsType<TarSplitEntry.File>(TarSplitEntries.Decode("""{"type":1,"name_raw":"/w==","position":0}"""u8).IfLeft(e => throw new Xunit.Sdk.XunitException(e)));
        Assert.True(raw.NameIsRaw);
        var segment = Assert.IsType<TarSplitEntry.Segment>(TarSplitEntries.Decode("""{"type":2,"payload":"AAEC","position":4,"extra":[1,{"a":2}]}"""u8).IfLeft(e => throw new Xunit.Sdk.XunitException(e)));
        Assert.Equal(new byte[] { 0, 1, 2 }, segment.Payload);
        Assert.Empty(Assert.IsType<TarSplitEntry.Segment>(TarSplitEntries.Decode("""{"type":2,"payload":"","position":5}"""u8).IfLeft(e => throw new Xunit.Sdk.XunitException(e))).Payload);
        foreach (var (line, why) in new[]
                 {
                     ("""{"type":3,"position":0}""", "type is not 1 (file) or 2 (segment)"),
                     ("""{"type":1,"name":"a","size":5,"payload":"AAE=","position":0}""", "file payload is not an 8-byte CRC-64"),
                     ("""{"type":1,"size":5,"payload":"YUw+7uLYEAA=","position":0}""", "file entry without a name"),
                     ("""{"type":1,"name":"a","size":-1,"position":0}""", "size is negative"),
                     ("""{"type":2,"payload":"!!","position":0}""", "payload is not base64"),
                     ("""{"type":2,"payload":""}""", "no position"),
                     ("""[1]""", "not a JSON object"),
                     ("""{"type":2,""", "not JSON"),
                 })
            Assert.Equal(why, TarSplitEntries.Decode(Encoding.UTF8.GetBytes(line)).Match(Left: e => e, Right: _ => "decoded"));
    }

    [Theory]
    [InlineData("etc/hello", "etc/hello")]
    [InlineData("./etc//hello", "etc/hello")]
    [InlineData("/etc/hello", "etc/hello")]
    [InlineData("etc/../bin/sh", "bin/sh")]
    [InlineData("etc/", "etc")]
    [InlineData("../etc/passwd", null)]
    [InlineData("./", null)]
    public void Member_names_map_into_the_content_folder_and_never_out_of_it(string name, string? expected) =>
        Assert.Equal(Optional(expected), ContentRules.RelativePath(name));

    [Fact]
    public void Whiteouts_and_non_regular_members_need_not_be_regular_files_in_the_folder()
    {
        Assert.False(ContentRules.MustBeRegularFile(Some((byte)'0'), "etc/.wh.passwd", 0));
        Assert.False(ContentRules.MustBeRegularFile(Some((byte)'5'), "etc", 0));
        Assert.False(ContentRules.MustBeRegularFile(Some((byte)'2'), "bin/sh", 0));
        Assert.True(ContentRules.MustBeRegularFile(Some((byte)'0'), "etc/empty", 0));
        Assert.True(ContentRules.MustBeRegularFile(Some((byte)'5'), "odd", 3));
        Assert.True(ContentRules.FirstAdded(["a", ".wh..wh.plnk/1.2"], new System.Collections.Generic.HashSet<string> { "a" }).IsNone);
    }

    [Fact]
    public void Slicing_by_8_crc_equals_the_byte_at_a_time_definition_for_every_length_and_split()
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var c = (ulong)i;
            for (var b = 0; b < 8; b++) c = (c & 1) == 1 ? (c >> 1) ^ 0xD800000000000000UL : c >> 1;
            table[i] = c;
        }
        var data = SHA512.HashData(Encoding.ASCII.GetBytes("crc")).Concat(SHA512.HashData(Encoding.ASCII.GetBytes("64"))).ToArray();
        for (var n = 0; n <= data.Length; n++)
        {
            var crc = ~0UL;
            foreach (var b in data.AsSpan(0, n)) crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
            Assert.Equal(~crc, Crc64Iso.Compute(data.AsSpan(0, n)));
            Assert.Equal(~crc, Crc64Iso.Update(Crc64Iso.Compute(data.AsSpan(0, n / 3)), data.AsSpan(n / 3, n - n / 3)));
        }
    }
}
