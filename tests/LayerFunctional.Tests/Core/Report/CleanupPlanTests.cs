using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Core.Report;

/// <summary>check --plan: the clean-up script is stable, leaves the root unchanged, and run as written only prints.</summary>
public class CleanupPlanTests
{
    [Fact]
    public void Plan_is_stable_and_leaves_the_root_unchanged()
    {
        using var dir = new TempDir();
        var generated = LayerFunctional.Generation.RootGenerator.Generate(3, new LayerFunctional.Generation.GeneratorOptions(4, 1, 1));
        RootWriter.Write(dir.Path, generated).IfLeft(e => throw new InvalidOperationException(e));
        DiskRoot.WriteFile(dir.Path, "overlay2/0rphan/diff/big", new string('x', 5000));
        Directory.CreateDirectory(Path.Combine(dir.Path, "image/overlay2/layerdb/tmp/write-set-1"));
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var first = new StringWriter();
        var second = new StringWriter();
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--plan"], first, new StringWriter()));
        Assert.Equal(0, LayerFunctional.Cli.Program.Run(["check", dir.Path, "--plan"], second, new StringWriter()));
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(before, Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        var plan = first.ToString();
        Assert.StartsWith("#!/bin/sh\n", plan, StringComparison.Ordinal);
        Assert.Contains("DRY_RUN=1\n", plan, StringComparison.Ordinal);
        Assert.Contains("#             5000 bytes  orphan_driver_dir      overlay2/0rphan  (orphan driver folder)", plan, StringComparison.Ordinal);
        Assert.Contains($"run rm -rf -- '{dir.Path}/overlay2/0rphan'\n", plan, StringComparison.Ordinal);
        Assert.Contains($"run rm -rf -- '{dir.Path}/image/overlay2/layerdb/tmp/write-set-1'\n", plan, StringComparison.Ordinal);
        // Run as written, the script only prints.
        var script = Path.Combine(Path.GetTempPath(), "plan-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(script, plan);
        using var sh = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", script) { RedirectStandardOutput = true })!;
        var output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        File.Delete(script);
        Assert.Equal(0, sh.ExitCode);
        Assert.Contains("would run: rm -rf -- " + dir.Path + "/overlay2/0rphan", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "overlay2/0rphan")));
    }
}
