using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;

namespace LayerFunctional;

/// <summary>
/// A reviewable clean-up plan: a POSIX shell script whose header lists every removable folder with its
/// size and reason, and whose commands only print what they would do until the reader edits
/// <c>DRY_RUN=1</c> to <c>DRY_RUN=0</c>. The tool itself never deletes anything. Deterministic: the same
/// report gives the same bytes.
/// </summary>
public static class CleanupPlan
{
    /// <summary>Renders the plan.</summary>
    /// <param name="report">The check report (its <see cref="CheckReport.Cleanup"/> items, measured).</param>
    /// <param name="absoluteRoot">The docker root as an absolute path, used in the commands.</param>
    public static string Render(CheckReport report, string absoluteRoot)
    {
        var sb = new StringBuilder();
        var total = report.Cleanup.Map(c => c.Bytes.IfNone(0)).Sum();
        sb.Append("#!/bin/sh\n");
        sb.Append($"# layerfn clean-up plan for {absoluteRoot} (moby {report.Moby} rules, driver {report.Driver.Name.IfNone("none")}).\n");
        sb.Append("# Nothing has been deleted. Review every line, stop dockerd, then change DRY_RUN=1 to DRY_RUN=0 below.\n");
        sb.Append($"# {report.Cleanup.Count} folder(s), {total} bytes in all:\n");
        foreach (var c in report.Cleanup)
            sb.Append($"#   {c.Bytes.IfNone(0),14} bytes  {c.Reason.Id(),-22} {c.Path}  ({c.Note})\n");
        if (report.Outcome != Drivers.Outcome.Loaded)
            sb.Append($"# WARNING: outcome is {report.Outcome.Id()}; what is unreferenced under these rules may belong to another driver or release.\n");
        sb.Append("set -eu\n");
        sb.Append("DRY_RUN=1\n");
        sb.Append("run() { if [ \"$DRY_RUN\" = 0 ]; then \"$@\"; else printf 'would run:'; printf ' %s' \"$@\"; printf '\\n'; fi; }\n");
        foreach (var c in report.Cleanup)
            sb.Append($"run rm -rf -- {ShellQuote(absoluteRoot.TrimEnd('/') + "/" + c.Path)}\n");
        return sb.ToString();
    }

    /// <summary>Single-quotes a string for POSIX sh (a quote inside becomes <c>'\''</c>).</summary>
    /// <param name="text">Any text.</param>
    public static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
