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
        sb.Append($"# layerfn clean-up plan for {ShellComment(absoluteRoot)} (moby {report.Moby} rules, {report.Driver.Name.Map(d => "driver " + d).IfNone(() => report.Driver.Snapshotter.Map(s => "containerd store, snapshotter " + s).IfNone("driver none"))}).\n");
        sb.Append("# Nothing has been deleted. Review every line, stop dockerd, then change DRY_RUN=1 to DRY_RUN=0 below.\n");
        sb.Append($"# {report.Cleanup.Count} folder(s), {total} bytes in all:\n");
        foreach (var c in report.Cleanup)
            sb.Append($"#   {c.Bytes.IfNone(0),14} bytes  {c.Reason.Id(),-22} {ShellComment(c.Path)}  ({ShellComment(c.Note)})\n");
        if (report.Outcome != Drivers.Outcome.Loaded && report.Containerd.IsNone)
            sb.Append($"# WARNING: outcome is {report.Outcome.Id()}; what is unreferenced under these rules may belong to another driver or release.\n");
        sb.Append("set -eu\n");
        sb.Append("DRY_RUN=1\n");
        sb.Append("run() { if [ \"$DRY_RUN\" = 0 ]; then \"$@\"; else printf 'would run:'; printf ' %s' \"$@\"; printf '\\n'; fi; }\n");
        foreach (var c in report.Cleanup)
            sb.Append($"run rm -rf -- {ShellQuote(c.Path.StartsWith('/') ? c.Path : absoluteRoot.TrimEnd('/') + "/" + c.Path)}\n");
        return sb.ToString();
    }

    /// <summary>Text safe inside a <c>#</c> comment of a shell script: every control character (a newline would end the comment
    /// and run the rest of the line) is written as <c>\xNN</c>, and a backslash as <c>\\</c>. Names and file contents from the
    /// root reach comments only through this.</summary>
    /// <param name="text">Any text.</param>
    public static string ShellComment(string text)
    {
        if (!text.Any(c => char.IsControl(c) || c is '\\' or '\u2028' or '\u2029')) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            sb.Append(c == '\\' ? "\\\\" : char.IsControl(c) || c is '\u2028' or '\u2029' ? $"\\x{(int)c:x2}" : c.ToString());
        return sb.ToString();
    }

    /// <summary>Single-quotes a string for POSIX sh (a quote inside becomes <c>'\''</c>).</summary>
    /// <param name="text">Any text.</param>
    public static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
