using LayerFunctional.Cli;
using LayerFunctional.Tests.Support;

namespace LayerFunctional.Tests.Cli;

/// <summary>
/// Every command's <c>--help</c> and its output on the committed sample root, compared byte for byte with the
/// files under <c>tests/LayerFunctional.Tests/Cli/Golden/</c>. After a deliberate change, rewrite them with
/// <c>LAYERFN_UPDATE_GOLDEN=1 dotnet test --filter GoldenTests</c> and review the diff.
/// </summary>
public class GoldenTests
{
    private static readonly string SampleRoot = Path.Combine(SharedData.RepoRoot, "samples", "docker-root");

    public static TheoryData<string, string[]> Commands() => new()
    {
        { "help", ["--help"] },
        { "check-help", ["check", "--help"] },
        { "which-help", ["which", "--help"] },
        { "generate-help", ["generate", "--help"] },
        { "graph-help", ["graph", "--help"] },
        { "mount-command-help", ["mount-command", "--help"] },
        { "version-help", ["version", "--help"] },
        { "check", ["check", "<ROOT>"] },
        { "check-json", ["check", "<ROOT>", "--json"] },
        { "check-table", ["check", "<ROOT>", "--table"] },
        { "check-plan", ["check", "<ROOT>", "--plan"] },
        { "check-repair-plan", ["check", "<ROOT>", "--repair-plan"] },
        { "which-layer", ["which", "eff9fc81dcd2", "--root", "<ROOT>"] },
        { "which-path", ["which", "<ROOT>/overlay2/84f2999c3f40515f4379491d0b580ad723a185f73e8c3146ef9563634ee61cc9/diff", "--root", "<ROOT>", "--json"] },
        { "graph-dot", ["graph", "<ROOT>"] },
        { "graph-mermaid", ["graph", "<ROOT>", "--format", "mermaid"] },
        { "mount-command", ["mount-command", "web-1", "--root", "<ROOT>", "--target", "/mnt/web"] },
        { "mount-command-json", ["mount-command", "b3d1e26c", "--root", "<ROOT>", "--json"] },
        { "generate", ["generate", "<TMP>", "--seed", "3", "--layers", "3", "--mounts", "1", "--images", "1", "--corrupt", "parent_cycle"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Output_matches_its_golden_file(string name, string[] args)
    {
        using var tmp = new TempDir();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args.Select(a => a.Replace("<ROOT>", SampleRoot, StringComparison.Ordinal).Replace("<TMP>", tmp.Path + "/root", StringComparison.Ordinal)).ToArray(), stdout, stderr);
        var actual = $"exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"
            .Replace(SampleRoot, "<ROOT>", StringComparison.Ordinal).Replace(tmp.Path + "/root", "<TMP>", StringComparison.Ordinal);
        Golden.Check(name + ".txt", actual);
    }
}
