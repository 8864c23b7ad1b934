using System.Diagnostics;
using System.IO.Compression;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Edge;

/// <summary><c>dotnet pack</c> makes the library package and the tool package; the tool installs from a
/// local folder into a temporary tool path and checks the sample root.</summary>
public class PackageTests
{
    private static string Configuration =>
        typeof(PackageTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    private static (int Code, string Out) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepoRoot };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Pack_makes_both_packages_and_the_tool_installs_and_checks_the_sample_root()
    {
        using var dir = new TempDir();
        var feed = Path.Combine(dir.Path, "feed");
        var (packCode, packOut) = Run("dotnet", "pack", "LayerFunctional.sln", "--no-build", "-c", Configuration, "-o", feed);
        Assert.True(packCode == 0, packOut);
        var packages = Directory.GetFiles(feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["LayerFunctional.0.4.0.nupkg", "LayerFunctional.0.4.0.snupkg", "LayerFunctional.Tool.0.4.0.nupkg"], packages);
        using (var library = ZipFile.OpenRead(Path.Combine(feed, "LayerFunctional.0.4.0.nupkg")))
            Assert.Equal(["README.md", "lib/net10.0/LayerFunctional.Core.dll", "lib/net10.0/LayerFunctional.Core.xml", "lib/net10.0/LayerFunctional.Edge.dll", "lib/net10.0/LayerFunctional.Edge.xml"],
                library.Entries.Select(e => e.FullName).Where(n => n.StartsWith("lib/", StringComparison.Ordinal) || n == "README.md").Order(StringComparer.Ordinal));

        var tools = Path.Combine(dir.Path, "tools");
        var (installCode, installOut) = Run("dotnet", "tool", "install", "LayerFunctional.Tool", "--version", "0.4.0", "--tool-path", tools, "--add-source", feed);
        Assert.True(installCode == 0, installOut);
        var (code, output) = Run(Path.Combine(tools, "layerfn"), "check", Path.Combine(SharedData.RepoRoot, "samples", "docker-root"), "--json");
        Assert.Equal(1, code);
        Assert.Contains("\"schema\": \"layerfunctional.report/1\"", output, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"loaded\"", output, StringComparison.Ordinal);
    }
}
