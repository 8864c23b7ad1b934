using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Content;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>
/// Content verification over generated roots: an intact root verifies every layer; one content fault (a flipped byte,
/// a truncated, deleted or added file) in one layer's overlay2 diff folder gives exactly one <c>layer_content_mismatch</c>,
/// on that layer, naming that file, and every other layer still verifies.
/// </summary>
public class ContentProperties
{
    public enum Fault { Flip, Truncate, Delete, Add }

    private static CheckReport Check(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/replay", MobyVersion.Default, None, VerifyContent: true), model)
            .IfLeft(e => throw new InvalidOperationException(e));

    [CasesProperty]
    public Property One_content_fault_reports_exactly_that_layer_and_file(PositiveInt seed, PositiveInt layers, PositiveInt which, PositiveInt at, Fault fault)
    {
        var model = RootGenerator.Generate(seed.Get, new GeneratorOptions(1 + layers.Get % 12, seed.Get % 4, seed.Get % 3));
        var layer = model.Layers[which.Get % model.Layers.Count];
        var folder = $"overlay2/{layer.CacheID}/diff";
        var files = model.Entries.Filter(e => e is GeneratedEntry.File && e.Path.StartsWith(folder + "/", StringComparison.Ordinal))
            .Map(e => (GeneratedEntry.File)e).ToArray();
        var file = files[at.Get % files.Length];
        var (broken, path) = fault switch
        {
            Fault.Flip when file.Bytes.Length > 0 => (model.With(new GeneratedEntry.File(file.Path, Flipped(file.Bytes, at.Get))), file.Path),
            Fault.Truncate when file.Bytes.Length > 0 => (model.With(new GeneratedEntry.File(file.Path, file.Bytes[..(at.Get % file.Bytes.Length)])), file.Path),
            Fault.Flip or Fault.Truncate => (model.With(new GeneratedEntry.File(file.Path, [(byte)at.Get])), file.Path),
            Fault.Delete => (model.Without(file.Path), file.Path),
            _ => (model.With(new GeneratedEntry.File(folder + "/added-" + at.Get + ".txt", [])), folder + "/added-" + at.Get + ".txt"),
        };
        var report = Check(broken);
        var problems = report.Problems.Map(p => $"{p.Kind.Id()} {p.Path} {p.ChainId.Map(c => c.ToString()).IfNone("")}").ToList();
        var verified = report.Content.IfNone(Empty).Count(c => c.Verdict is ContentVerdict.Verified);
        return (problems.Count == 1 && problems[0] == $"layer_content_mismatch {path} {layer.ChainID}" && verified == model.Layers.Count - 1)
            .Label($"{fault} of {path} in {layer.ChainID}: got [{string.Join(", ", problems)}], {verified} of {model.Layers.Count} layers verified");
    }

    [CasesProperty]
    public Property An_intact_generated_root_verifies_every_layer(PositiveInt seed, PositiveInt layers)
    {
        var model = RootGenerator.Generate(seed.Get, new GeneratorOptions(1 + layers.Get % 12, seed.Get % 4, seed.Get % 3));
        var report = Check(model);
        return (report.Problems.IsEmpty && report.Content.IfNone(Empty).ForAll(c => c.Verdict is ContentVerdict.Verified)
                && report.Content.IfNone(Empty).Count == model.Layers.Count)
            .Label($"seed {seed.Get}: {string.Join(", ", report.Problems.Map(p => p.Kind.Id() + " " + p.Path))}");
    }

    private static byte[] Flipped(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at % copy.Length] ^= (byte)(1 << (at % 8));
        return copy;
    }
}
