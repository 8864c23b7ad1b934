using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>
/// Properties over roots from the library's generator and corrupters, checked through the shell's reader
/// (in memory, and on disk for the disk-versus-memory property). A failing case prints its seed and the
/// commands that write it and replay every check on it (<see cref="RootCase.ToString"/>).
/// </summary>

public class GeneratedRootProperties
{
    internal static CheckReport CheckInMemory(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/replay", model.Expected.Moby, model.Expected.Driver, VerifyContent: model.Expected.NeedsContent), model)
            .IfLeft(e => throw new InvalidOperationException(e));

    /// <summary>Why the report differs from what the model promises, or None.</summary>
    internal static Option<string> Mismatch(GeneratedRoot model, CheckReport report)
    {
        var expected = model.Expected.Problems.Map(p => $"{p.Kind.Id()} {p.Path}").ToList();
        var actual = report.Problems.Map(p => $"{p.Kind.Id()} {p.Path}").ToList();
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
            return $"problems differ: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]";
        var crashes = !model.Expected.NothingLoads && model.Corruptions.Exists(k => k is ProblemKind.ParentCycle or ProblemKind.ContainerCrashesDaemon);
        if (crashes != (report.Outcome == Drivers.Outcome.DaemonCrashes))
            return $"outcome {report.Outcome.Id()}, expected {(crashes ? "" : "no ")}crash";
        var load = model.Expected.LoadOf(model);
        var expectedLayers = load.Layers.Map(l => $"{l.ChainID} {l.ReferenceCount}").Order(StringComparer.Ordinal).ToList();
        var actualLayers = report.Store.Layers.Map(l => $"{l.ChainID} {l.ReferenceCount}").Order(StringComparer.Ordinal).ToList();
        if (!expectedLayers.SequenceEqual(actualLayers, StringComparer.Ordinal))
            return $"loaded layers differ: expected [{string.Join(", ", expectedLayers)}], got [{string.Join(", ", actualLayers)}]";
        var expectedMounts = load.Mounts.Order().ToList();
        var actualMounts = report.Store.Mounts.Map(m => m.Name).Order().ToList();
        return expectedMounts.SequenceEqual(actualMounts)
            ? None
            : $"loaded mounts differ: expected [{string.Join(", ", expectedMounts)}], got [{string.Join(", ", actualMounts)}]";
    }

    [CasesProperty]
    public Property Every_corrupters_problems_are_reported_exactly_and_nothing_else_changes_in_the_load(RootCase c) =>
        Mismatch(c.Model, CheckInMemory(c.Model)).Match(Some: why => false.Label(why), None: () => true.ToProperty());

    /// <summary>report.md's root causes: every <c>caused_by</c> names a problem of the same report that has no cause of its
    /// own, and every layer skipped as <c>ancestor_unloadable</c> is a symptom.</summary>
    [CasesProperty]
    public Property Every_caused_by_names_a_root_cause_of_the_same_report(RootCase c)
    {
        var report = CheckInMemory(c.Model);
        var roots = report.Problems.Filter(p => p.CausedBy.IsNone).Map(p => (p.Kind, p.Path)).ToHashSet();
        var dangling = report.Problems.Filter(p => p.CausedBy.Exists(cause => !roots.Contains((cause.Kind, cause.Path))))
            .Map(p => $"{p.Kind.Id()} {p.Path}").ToList();
        var uncaused = report.Problems.Filter(p => p.Kind == ProblemKind.AncestorUnloadable && p.CausedBy.IsNone).Map(p => p.Path).ToList();
        return (dangling.Count == 0).Label("caused_by names no root cause of the report: " + string.Join(", ", dangling))
            .And((uncaused.Count == 0).Label("ancestor_unloadable without a cause: " + string.Join(", ", uncaused)));
    }

    [CasesProperty]
    public Property The_load_invariants_hold_and_the_core_equals_the_naive_transcription(RootCase c) =>
        Invariants.Failing(c.Snapshot()).Match(Empty: () => true.ToProperty(), More: failing => false.Label(string.Join("; ", failing)));

    [CasesProperty]
    public Property The_model_in_memory_and_written_to_disk_give_equal_reports(RootCase c)
    {
        var dir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "layerfn-prop-" + Guid.NewGuid().ToString("N"));
        try
        {
            RootWriter.Write(dir, c.Model).IfLeft(e => throw new InvalidOperationException(e));
            var options = new CheckOptions(dir, c.Model.Expected.Moby, c.Model.Expected.Driver, VerifyContent: c.Model.Expected.NeedsContent);
            var disk = ReportJson.Render(Checker.Check(options).IfLeft(e => throw new InvalidOperationException(e)));
            var memory = ReportJson.Render(Checker.CheckGenerated(options, c.Model).IfLeft(e => throw new InvalidOperationException(e)));
            return (disk == memory).Label("disk and memory reports differ");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>§5: ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)), recomputed here with
    /// SHA-256 directly; flipping one bit of one layer's recorded diff ID gives exactly one chain_id_mismatch, on that layer.</summary>
    [CasesProperty]
    public Property Chain_ids_follow_section_5_and_a_one_bit_change_breaks_exactly_one(int seed, PositiveInt pick, PositiveInt bit)
    {
        var model = RootGenerator.Generate(seed & int.MaxValue, new GeneratorOptions(8, 1, 1));
        var byChain = model.Layers.ToDictionary(l => l.ChainID.ToString(), StringComparer.Ordinal);
        string Expected(GeneratedLayer l) => l.Parent.Match(
            Some: p => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(p + " " + l.DiffID))),
            None: () => l.DiffID.ToString());
        if (!model.Layers.ForAll(l => l.ChainID.ToString() == Expected(l) && l.Parent.ForAll(p => byChain.ContainsKey(p.ToString()))))
            return false.Label("a generated chain ID does not follow §5");

        var target = model.Layers[pick.Get % model.Layers.Count];
        var digest = Convert.FromHexString(target.DiffID.Digest.Encoded);
        digest[bit.Get % 32] ^= (byte)(1 << (bit.Get / 32 % 8));
        var flipped = model.With(new GeneratedEntry.File(target.Folder + "/diff", Encoding.ASCII.GetBytes("sha256:" + Convert.ToHexStringLower(digest))));
        var report = CheckInMemory(flipped);
        var mismatches = report.Problems.Filter(p => p.Kind == ProblemKind.ChainIdMismatch).Map(p => p.Path).ToList();
        return (mismatches.Count == 1 && mismatches[0] == target.Folder && report.Store.Layers.Count == model.Layers.Count)
            .Label($"flipping bit {bit.Get % 256} of {target.ChainID}'s diff gave chain_id_mismatch on [{string.Join(", ", mismatches)}]");
    }

    /// <summary>Random bytes (empty, short, or over the 64 KiB metadata cap) in any one file of a corrupted root: the
    /// check returns a report, never throws, and the load either reports a problem or is what the model promises.</summary>
    [CasesProperty]
    public Property Random_bytes_in_any_file_never_throw(RootCase c, PositiveInt which, byte[] bytes, bool huge)
    {
        var files = c.Model.Entries.Filter(e => e is GeneratedEntry.File).ToArray();
        if (files.Length == 0) return true.ToProperty();
        var target = files[which.Get % files.Length];
        var content = huge ? Enumerable.Repeat(bytes, 70_000 / Math.Max(1, bytes.Length) + 1).SelectMany(b => b).ToArray() : bytes;
        var broken = c.Model.With(new GeneratedEntry.File(target.Path, content));
        var report = CheckInMemory(broken);
        return (!report.Problems.IsEmpty || Mismatch(c.Model, report).IsNone || content.AsSpan().SequenceEqual(((GeneratedEntry.File)target).Bytes))
            .Label($"random bytes in {target.Path} gave no problem and a load the model does not expect");
    }
}
