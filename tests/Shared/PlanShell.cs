using System.Diagnostics;

namespace LayerFunctional.Testing;

/// <summary>Runs a clean-up or repair plan with <c>sh</c>, as a reader would after reviewing it: shared by the unit tests,
/// the properties and the daemon tests (linked into each project).</summary>
internal static class PlanShell
{
    /// <summary>The plan with <c>DRY_RUN=1</c> changed to <c>DRY_RUN=0</c>: the edit the plan asks its reader to make.</summary>
    /// <param name="plan">A script from <c>CleanupPlan.Render</c> or <c>RepairPlan.Render</c>.</param>
    public static string Armed(string plan) => plan.Replace("\nDRY_RUN=1\n", "\nDRY_RUN=0\n", StringComparison.Ordinal);

    /// <summary>Writes the script to a file in <paramref name="cwd"/> and runs it with <c>sh</c> there, for at most a minute.</summary>
    /// <param name="script">The script as rendered (armed or not).</param>
    /// <param name="cwd">The working folder (a temporary one); the script file is written there and removed.</param>
    /// <returns>The exit code (-1 on a time-out) and standard output followed by standard error.</returns>
    public static (int Code, string Output) Run(string script, string cwd)
    {
        var file = Path.Combine(cwd, "plan-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(file, script);
        try
        {
            using var sh = Process.Start(new ProcessStartInfo("sh", [file]) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = sh.StandardOutput.ReadToEndAsync();
            var error = sh.StandardError.ReadToEnd();
            if (!sh.WaitForExit(60_000))
            {
                sh.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }
            return (sh.ExitCode, output.Result + error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
