namespace LayerFunctional.Tests.Support;

/// <summary>Golden files under <c>tests/LayerFunctional.Tests/Cli/Golden</c>: the wording of whole outputs, pinned once. After an
/// intended change, run <c>LAYERFN_UPDATE_GOLDEN=1 dotnet test --filter "GoldenTests|RepairPlanTests"</c> and review the diff.</summary>
internal static class Golden
{
    private static readonly string Dir = Path.Combine(SharedData.RepoRoot, "tests", "LayerFunctional.Tests", "Cli", "Golden");

    /// <summary>Asserts that <paramref name="actual"/> equals the golden file <paramref name="name"/> (rewrites it first when
    /// <c>LAYERFN_UPDATE_GOLDEN=1</c>).</summary>
    public static void Check(string name, string actual)
    {
        var file = Path.Combine(Dir, name);
        if (Environment.GetEnvironmentVariable("LAYERFN_UPDATE_GOLDEN") == "1") File.WriteAllText(file, actual);
        Assert.True(File.Exists(file), $"no golden file {file}: run with LAYERFN_UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(file), actual);
    }
}
