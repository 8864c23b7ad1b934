using System.Text;
using LanguageExt;

namespace LayerFunctional;

/// <summary>What one repair action does, in the order a repair plan runs them (an action may rely on the ones before it:
/// a <c>lower</c> file is rebuilt from link names that earlier actions restore).</summary>
public enum RepairStep
{
    /// <summary>Write an overlay2 folder's <c>link</c> file (its short name), restored from the <c>l/</c> link that leads
    /// to the folder, or a fresh name when none does (then a <see cref="CreateShortLink"/> follows).</summary>
    WriteLinkFile,
    /// <summary>Create overlay2's <c>l/&lt;name&gt;</c> symbolic link to <c>../&lt;folder&gt;/diff</c>.</summary>
    CreateShortLink,
    /// <summary>Rewrite an overlay2 folder's <c>lower</c> file from its parent chain (nearest first,
    /// <c>l/&lt;name&gt;</c> entries joined by <c>:</c>, as overlay2's <c>getLower</c> writes it).</summary>
    WriteLowerFile,
    /// <summary>Remove the <c>lower</c> file of a folder with nothing below it (overlay2 writes none for a base layer).</summary>
    RemoveLowerFile,
    /// <summary>Write a mount's <c>mount-id</c> (the folder its init ID names without <c>-init</c>).</summary>
    WriteMountId,
    /// <summary>Write a mount's <c>init-id</c> (<c>&lt;mount ID&gt;-init</c>, the folder its mount ID names).</summary>
    WriteInitId,
    /// <summary>Remove an empty layer folder (<c>rmdir</c>: only while it is empty).</summary>
    RemoveEmptyFolder,
    /// <summary>Remove a leftover of an interrupted removal or an uncommitted transaction, with the driver folder only it names.</summary>
    RemoveLeftover,
    /// <summary>Move the metadata of a layer that cannot be recovered, or of what depends on it (a descendant layer, a mount
    /// and its container, an image), out of the root into the quarantine folder the user names; never deleted.</summary>
    Quarantine,
}

/// <summary>One action of a repair plan: what it does, where, and the finding it repairs.</summary>
/// <param name="Step">What it does.</param>
/// <param name="Path">The entry it writes, creates or removes, relative to the docker root.</param>
/// <param name="Value">What it writes: the text of a file (no newline, as moby and overlay2 write them) or the target of a
/// link; empty for a removal.</param>
/// <param name="Repairs">The kind of the finding it repairs.</param>
/// <param name="FindingPath">That finding's path.</param>
public sealed record RepairAction(RepairStep Step, string Path, string Value, ProblemKind Repairs, string FindingPath)
{
    /// <summary>The folder that must exist for the action to make sense (relative to the root): the folder a link leads to,
    /// the driver folder an ID names; None when the action needs none.</summary>
    public Option<string> Requires { get; init; }

    /// <summary>Orders actions as a plan runs them: by step, then path (ordinal).</summary>
    public static int Compare(RepairAction a, RepairAction b)
    {
        var c = a.Step.CompareTo(b.Step);
        return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
    }
}

/// <summary>
/// A reviewable repair plan (<c>layerfn check --repair-plan</c>): a POSIX shell script whose header lists every action with
/// the finding it repairs, and the findings it cannot repair from what is on disk; its commands only print what they would
/// do until the reader edits <c>DRY_RUN=1</c> to <c>DRY_RUN=0</c>. Each command first checks that it is still needed (a
/// second run does nothing) and that what it relies on exists. Files are written through a temporary file and renamed.
/// The tool itself never writes. Deterministic: the same report gives the same bytes.
/// </summary>
public static class RepairPlan
{
    /// <summary>Renders the plan without a quarantine folder: what cannot be recovered is listed, not moved.</summary>
    /// <param name="report">The check report (its <see cref="CheckReport.Repairs"/> and problems).</param>
    /// <param name="absoluteRoot">The docker root as an absolute path, used in the commands.</param>
    public static string Render(CheckReport report, string absoluteRoot) => Render(report, absoluteRoot, LanguageExt.Prelude.None);

    /// <summary>Renders the plan.</summary>
    /// <param name="report">The check report (its <see cref="CheckReport.Repairs"/> and problems).</param>
    /// <param name="absoluteRoot">The docker root as an absolute path, used in the commands.</param>
    /// <param name="quarantine">An absolute folder outside the root: the metadata of what cannot be recovered is moved there
    /// (<see cref="Quarantine"/>), keeping its path under the root. None: listed only.</param>
    public static string Render(CheckReport report, string absoluteRoot, Option<string> quarantine)
    {
        var root = absoluteRoot.TrimEnd('/');
        string At(string path) => CleanupPlan.ShellQuote(root + "/" + path);
        var moves = Quarantine(report);
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        sb.Append($"# layerfn repair plan for {absoluteRoot} (moby {report.Moby} rules, driver {report.Driver.Name.IfNone("none")}).\n");
        sb.Append("# Nothing has been changed. Review every line, stop dockerd, then change DRY_RUN=1 to DRY_RUN=0 below.\n");
        sb.Append("# Each action first checks that it is still needed: a second run does nothing.\n");
        sb.Append($"# {report.Repairs.Count} action(s):\n");
        foreach (var a in report.Repairs)
            sb.Append($"#   {StepId(a.Step),-20} {a.Path}  (repairs {a.Repairs.Id()} {a.FindingPath})\n");
        var left = NotRepaired(report);
        if (!left.IsEmpty)
        {
            sb.Append($"# Not repaired here ({left.Count}): not recoverable from what is on disk, a symptom of another finding, or\n");
            sb.Append("# for the clean-up plan (layerfn check --plan). See the report for each:\n");
            foreach (var p in left) sb.Append($"#   {p.Kind.Id(),-28} {p.Path}\n");
        }
        if (!moves.IsEmpty)
        {
            sb.Append(quarantine.Match(
                Some: q => $"# {moves.Count} quarantine move(s) into {q}: layers that cannot be recovered and everything on them:\n",
                None: () => $"# {moves.Count} entries to quarantine (run again with --quarantine DIR to move them out of the root):\n"));
            foreach (var m in moves)
                sb.Append($"#   {m.Path}  (with {m.Repairs.Id()} {m.FindingPath})\n");
            var images = moves.Filter(m => m.Value.StartsWith("image ", StringComparison.Ordinal)).Map(m => m.Value[6..]).Distinct().Strict();
            if (!images.IsEmpty)
                sb.Append($"# docker pull fetches again: {string.Join(", ", images)} (by the names you gave them; their layers come from the registry).\n");
        }
        if (report.Outcome != Drivers.Outcome.Loaded)
            sb.Append($"# WARNING: outcome is {report.Outcome.Id()}; repair what stops the daemon first.\n");
        sb.Append("set -eu\n");
        sb.Append("DRY_RUN=1\n");
        sb.Append("run() { if [ \"$DRY_RUN\" = 0 ]; then \"$@\"; else printf 'would run:'; printf ' %s' \"$@\"; printf '\\n'; fi; }\n");
        sb.Append("put() {\n");
        sb.Append("  if [ -d \"$1\" ] || [ -L \"$1\" ]; then printf 'skipped %s: not a regular file\\n' \"$1\" >&2; return 0; fi\n");
        sb.Append("  if [ \"$DRY_RUN\" = 0 ]; then printf '%s' \"$2\" > \"$1.layerfn-new\" && mv -f -- \"$1.layerfn-new\" \"$1\"; else printf 'would write %s: %s\\n' \"$1\" \"$2\"; fi\n");
        sb.Append("}\n");
        foreach (var a in report.Repairs)
        {
            sb.Append($"# {a.Repairs.Id()} {a.FindingPath}: {Describe(a)}\n");
            var needs = a.Requires.Map(r => $"[ -d {At(r)} ] && ").IfNone("");
            var path = At(a.Path);
            var value = CleanupPlan.ShellQuote(a.Value);
            sb.Append(a.Step switch
            {
                RepairStep.WriteLinkFile => $"if {needs}[ ! -s {path} ]; then put {path} {value}; fi\n",
                RepairStep.CreateShortLink => $"if {needs}[ ! -e {path} ] && [ ! -L {path} ]; then run ln -s -- {value} {path}; fi\n",
                RepairStep.WriteLowerFile or RepairStep.WriteMountId or RepairStep.WriteInitId =>
                    $"if {needs}[ \"$(cat -- {path} 2>/dev/null || true)\" != {value} ]; then put {path} {value}; fi\n",
                RepairStep.RemoveLowerFile => $"if [ -f {path} ] && [ ! -L {path} ]; then run rm -f -- {path}; fi\n",
                RepairStep.RemoveEmptyFolder => $"if [ -d {path} ] && [ ! -L {path} ]; then run rmdir -- {path}; fi\n",
                _ => $"if [ -e {path} ] || [ -L {path} ]; then run rm -rf -- {path}; fi\n",
            });
        }
        foreach (var q in quarantine)
            foreach (var m in moves)
            {
                var target = CleanupPlan.ShellQuote(q.TrimEnd('/') + "/" + m.Path);
                var parent = CleanupPlan.ShellQuote(q.TrimEnd('/') + "/" + m.Path[..Math.Max(0, m.Path.LastIndexOf('/'))]);
                sb.Append($"# {m.Repairs.Id()} {m.FindingPath}: {Describe(m)}\n");
                sb.Append($"if {{ [ -e {At(m.Path)} ] || [ -L {At(m.Path)} ]; }} && [ ! -e {target} ]; then run mkdir -p -- {parent}; run mv -- {At(m.Path)} {target}; fi\n");
            }
        return sb.ToString();
    }

    /// <summary>
    /// What the plan moves out of the root for the layers that cannot be recovered from what is on disk (issue "a repair
    /// plan"): a loaded layer whose driver folder is gone (<c>cache_dir_missing</c>), whose tar-split is gone or damaged
    /// (<c>tar_split_missing</c>, <c>tar_split_invalid</c>), or whose content does not hash (<c>layer_content_mismatch</c>,
    /// with <c>--content</c>); with it every descendant layer's folder, every mount on them with its container's folder, and
    /// every image whose top layer is among them (its config and metadata). The driver folders stay where they are. In path
    /// order, each with the finding that condemns it (the first by path when several do); <see cref="RepairAction.Value"/>
    /// is <c>image sha256:…</c> for an image config, empty otherwise.
    /// </summary>
    /// <param name="report">The check report.</param>
    public static Seq<RepairAction> Quarantine(CheckReport report)
    {
        if (!report.LayerDb.TrySome(out var layerDb)) return LanguageExt.Prelude.Empty;
        var graph = Graph.LayerGraph.Of(report.Store);
        var condemned = new Dictionary<int, Problem>();
        foreach (var p in report.Problems)
            if (p.Kind is ProblemKind.CacheDirMissing or ProblemKind.TarSplitMissing or ProblemKind.TarSplitInvalid or ProblemKind.LayerContentMismatch
                && p.Severity == Severity.Error && p.ChainId.Bind(graph.IndexOf).TrySome(out var at))
                foreach (var d in graph.DescendantsAndSelf(at))
                    condemned.TryAdd(d, p);   // problems come in path order: the first wins
        if (condemned.Count == 0) return LanguageExt.Prelude.Empty;
        var byChain = condemned.ToDictionary(kv => graph[kv.Key].ChainID, kv => kv.Value);
        var imageDb = layerDb[..^"layerdb".Length] + "imagedb";
        var moves = new List<RepairAction>();
        void Move(string path, Problem why, string value = "") => moves.Add(new RepairAction(RepairStep.Quarantine, path, value, why.Kind, why.Path));
        foreach (var (i, why) in condemned) Move(layerDb + "/" + graph[i].ChainID.Digest.FolderKey, why);
        foreach (var m in report.Store.Mounts)
            if (m.Parent.TrySome(out var parent) && byChain.TryGetValue(parent, out var why))
            {
                Move(layerDb + "/mounts/" + m.Name, why);
                if (report.Containers.ContainsKey(m.Name)) Move("containers/" + m.Name, why);
            }
        foreach (var image in report.Images)
            if (image.TopChainId.TrySome(out var top) && byChain.TryGetValue(top, out var why) && image.Id.StartsWith("sha256:", StringComparison.Ordinal))
            {
                Move(imageDb + "/content/sha256/" + image.Id[7..], why, "image " + image.Id);
                Move(imageDb + "/metadata/sha256/" + image.Id[7..], why);
            }
        return moves.OrderBy(m => m.Path, StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <summary>The findings a plan leaves: root causes (no <c>caused_by</c>) of severity error or warning that no action
    /// repairs (by the finding it names, or by rewriting the finding's file, as a written <c>mount-id</c> repairs
    /// <c>mount_id_missing</c>), except those the clean-up plan handles (orphan folders, dangling short links), in report order.</summary>
    /// <param name="report">The check report.</param>
    public static Seq<Problem> NotRepaired(CheckReport report)
    {
        var condemning = Quarantine(report).Map(m => (m.Repairs, m.FindingPath)).ToHashSet();
        var repaired = report.Repairs.Map(a => (a.Repairs, a.FindingPath)).ToHashSet();
        var written = report.Repairs.Map(a => a.Path).ToHashSet(StringComparer.Ordinal);
        return report.Problems.Filter(p => p.Severity != Severity.Info && p.CausedBy.IsNone && !repaired.Contains((p.Kind, p.Path))
            && !written.Contains(p.Path) && !condemning.Contains((p.Kind, p.Path)) && p.Kind is not (ProblemKind.OrphanDriverDir or ProblemKind.OverlaySymlinkDangling)).Strict();
    }

    /// <summary>The snake_case name of a step, as the plan's header prints it.</summary>
    /// <param name="step">A step.</param>
    public static string StepId(RepairStep step) => step switch
    {
        RepairStep.WriteLinkFile => "write_link_file",
        RepairStep.CreateShortLink => "create_short_link",
        RepairStep.WriteLowerFile => "write_lower_file",
        RepairStep.RemoveLowerFile => "remove_lower_file",
        RepairStep.WriteMountId => "write_mount_id",
        RepairStep.WriteInitId => "write_init_id",
        RepairStep.RemoveEmptyFolder => "remove_empty_folder",
        RepairStep.Quarantine => "quarantine",
        _ => "remove_leftover",
    };

    private static string Describe(RepairAction a) => a.Step switch
    {
        RepairStep.WriteLinkFile => $"write the short name {a.Value} into the link file",
        RepairStep.CreateShortLink => $"recreate the short link to {a.Value}",
        RepairStep.WriteLowerFile => "rebuild the lower file from the parent chain",
        RepairStep.RemoveLowerFile => "remove the lower file of a layer with nothing below it",
        RepairStep.WriteMountId => $"register the read-write folder {a.Value} that the init ID names",
        RepairStep.WriteInitId => $"register the init folder {a.Value} that the mount ID names",
        RepairStep.RemoveEmptyFolder => "remove the empty layer folder (moby skips it)",
        RepairStep.Quarantine => "move out of the root: it cannot be recovered from what is on disk, or depends on what cannot",
        _ => "remove the leftover",
    };
}
