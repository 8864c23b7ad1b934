using System.Text.Json;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Acceptance;

/// <summary>
/// Every broken root of ../shared/cases, checked against its expected.json with exact values:
/// outcome, driver selection, loaded layers with reference counts, skipped layers, loaded and skipped
/// mounts, and problems (kind and path).
/// </summary>
public class CaseTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        if (SharedData.Folder is null) { data.Add("(no ../shared)"); return data; }
        foreach (var dir in Directory.GetDirectories(SharedData.Cases).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, "expected.json"))) data.Add(Path.GetFileName(dir));
        return data;
    }

    [SharedTheory]
    [MemberData(nameof(CaseNames))]
    public void Case_loads_exactly_as_expected(string caseName)
    {
        var caseDir = Path.Combine(SharedData.Cases, caseName);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(caseDir, "expected.json")));
        using var unpacked = SharedData.Unpack(Path.Combine(caseDir, "root.tar.gz"));
        var root = Path.Combine(unpacked.Path, "root");
        var e = expected.RootElement;

        var before = RootState.Of(root);
        var report = Check(root, Prelude.None);
        Assert.Equal(e.GetProperty("moby_outcome").GetString(), report.Outcome.Id());
        var selection = e.GetProperty("driver_selection");
        Assert.Equal(
            selection.GetProperty("prior_drivers").EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal),
            report.Driver.PriorState.Map(d => d.Value));
        var selected = selection.GetProperty("selected");
        Assert.Equal(selected.ValueKind == JsonValueKind.Null ? "(none)" : selected.GetString(), report.Driver.Name.Map(n => n.Value).IfNone("(none)"));
        AssertLoad(e, report);

        if (e.TryGetProperty("explicit_driver", out var explicitDriver))
        {
            var withDriver = Check(root, explicitDriver.GetProperty("driver").GetString());
            Assert.Equal("loaded", withDriver.Outcome.Id());
            Assert.Equal(explicitDriver.GetProperty("driver").GetString(), withDriver.Driver.Name.Map(n => n.Value).IfNone(""));
            AssertLoad(explicitDriver, withDriver);
        }
        // The check, and the clean-up plan, leave every entry of the root as it was.
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", root, "--plan"], new StringWriter(), new StringWriter()));
        Assert.Equal(before, RootState.Of(root));
    }

    private static CheckReport Check(string root, Option<string> driver) =>
        Checker.Check(new CheckOptions(root, MobyVersion.Default, driver.Map(d => new DriverName(d))))
            .IfLeft(error => throw new Xunit.Sdk.XunitException("root unreadable: " + error));

    private static void AssertLoad(JsonElement e, CheckReport report)
    {
        Assert.Equal(
            e.GetProperty("loaded_layers").EnumerateArray().Select(l => (l.GetProperty("chain_id").GetString()!, l.GetProperty("ref_count").GetInt32())),
            report.Store.Layers.Map(l => (l.ChainID.ToString(), l.ReferenceCount)));
        Assert.Equal(
            e.GetProperty("skipped_layers").EnumerateArray().Select(x => x.GetString()!),
            report.Store.SkippedLayers.Map(l => l.ChainID.ToString()));
        Assert.Equal(
            e.GetProperty("loaded_mounts").EnumerateArray().Select(x => x.GetString()!),
            report.Store.Mounts.Map(m => m.Name.Value));
        Assert.Equal(
            e.GetProperty("skipped_mounts").EnumerateArray().Select(x => x.GetString()!),
            report.Store.SkippedMounts.Map(m => m.Name.Value));
        var expectedProblems = e.GetProperty("problems").EnumerateArray()
            .Select(p => (Kind: p.GetProperty("kind").GetString()!, Path: p.GetProperty("path_relative_to_root").GetString()!))
            .OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expectedProblems, report.Problems.Map(p => (p.Kind.Id(), p.Path)).ToList());
    }
}
