using System.Text;
using LanguageExt;

namespace LayerFunctional;

/// <summary>What one repair action does, in the order a repair plan runs them (an action may rely on the ones before it:
/// a <c>lower</c> file is rebuilt from link names that earlier actions restore).</summary>
public enum RepairStep
{
    /// <summary>Create overlay2's missing <c>l/</c> folder of short links (the short links follow).</summary>
    CreateLinkFolder,
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
    /// <summary>Create the mount folder <c>mounts/&lt;container ID&gt;</c> of a container that lost it (its files follow).</summary>
    CreateMountFolder,
    /// <summary>Write a mount's <c>mount-id</c> (the folder its init ID names without <c>-init</c>).</summary>
    WriteMountId,
    /// <summary>Write a mount's <c>init-id</c> (<c>&lt;mount ID&gt;-init</c>, the folder its mount ID names).</summary>
    WriteInitId,
    /// <summary>Write a layer's lost <c>cache-id</c>: the driver folder the <c>lower</c> files of the folders above it place
    /// at its place in their chain.</summary>
    WriteCacheId,
    /// <summary>Rewrite a layer's <c>parent</c> file with the one chain ID that, with the layer's diff ID, hashes to the
    /// layer's own chain ID (<c>sha256(parent + " " + diff ID)</c>, moby <c>layer.CreateChainID</c>).</summary>
    WriteParentFile,
    /// <summary>Remove the <c>parent</c> file of a layer whose chain ID is its diff ID: a base layer (moby writes none).</summary>
    RemoveParentFile,
    /// <summary>Write a re-created mount's <c>parent</c>: the top layer of its container's image.</summary>
    WriteMountParent,
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
    /// <summary>The finding kinds a repair plan rebuilds from what is on disk whenever their corrupter (<see
    /// cref="Generation.Corrupters"/>) made them: overlay2 link files, short links and lower files; a mount's ID files
    /// (<c>unregistered_driver_dir</c> with them); a layer's lost <c>cache-id</c> (the corrupter's layer has a layer on it, whose
    /// <c>lower</c> places the folder); a container's lost mount folder (its pair is the only one on its image's top layer);
    /// empty layer folders, leftovers and stale transactions; parent files that form a cycle or name no folder. The repair
    /// properties and the daemon test stack these.</summary>
    public static IReadOnlyList<ProblemKind> Repairable { get; } =
    [
        ProblemKind.OverlayLinkFileEmpty, ProblemKind.OverlayLinkSymlinkMissing, ProblemKind.OverlayLowerEntryInvalid,
        ProblemKind.MountIdMissing, ProblemKind.MountIdInvalid, ProblemKind.InitIdInvalid, ProblemKind.UnregisteredDriverDir,
        ProblemKind.LayerDirEmpty, ProblemKind.RemovalLeftover, ProblemKind.StaleTransaction,
        ProblemKind.ParentCycle, ProblemKind.ParentLayerMissing, ProblemKind.CacheIdMissing, ProblemKind.ContainerWithoutMount,
    ];

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
        static string C(string text) => CleanupPlan.ShellComment(text);
        var moves = Quarantine(report);
        var actions = Actions(report, moves);
        var containerd = ContainerdCommands(report);
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        sb.Append($"# layerfn repair plan for {C(absoluteRoot)} (moby {report.Moby} rules, {report.Driver.Name.Map(d => "driver " + d).IfNone(() => report.Driver.Snapshotter.Map(x => "containerd store, snapshotter " + x).IfNone("driver none"))}).\n");
        sb.Append("# Nothing has been changed. Review every line, stop dockerd, then change DRY_RUN=1 to DRY_RUN=0 below.\n");
        sb.Append("# Each action first checks that it is still needed: a second run does nothing.\n");
        sb.Append($"# {actions.Count} action(s):\n");
        foreach (var a in actions)
            sb.Append($"#   {StepId(a.Step),-20} {C(a.Path)}  (repairs {a.Repairs.Id()} {C(a.FindingPath)})\n");
        if (!containerd.IsEmpty)
        {
            sb.Append($"# {containerd.Count} containerd command(s), for the running daemon (start dockerd first; they go through containerd's socket):\n");
            foreach (var c in containerd)
                sb.Append($"#   {ContainerdStepId(c.Step),-20} {C(c.Target)}  (repairs {c.Repairs.Id()} {C(c.FindingPath)})\n");
        }
        var left = NotRepaired(report, moves);
        if (!left.IsEmpty)
        {
            sb.Append($"# Not repaired here ({left.Count}): not recoverable from what is on disk, a symptom of another finding, or\n");
            sb.Append("# for the clean-up plan (layerfn check --plan). See the report for each:\n");
            foreach (var p in left) sb.Append($"#   {p.Kind.Id(),-28} {C(p.Path)}\n");
        }
        if (!moves.IsEmpty)
        {
            sb.Append(quarantine.Match(
                Some: q => $"# {moves.Count} quarantine move(s) into {C(q)}: layers that cannot be recovered and everything on them, with their driver folders (a container's data moves with it):\n",
                None: () => $"# {moves.Count} entries to quarantine (run again with --quarantine DIR to move them out of the root):\n"));
            foreach (var m in moves)
                sb.Append($"#   {C(m.Path)}  (with {m.Repairs.Id()} {C(m.FindingPath)})\n");
            var images = moves.Filter(m => m.Value.StartsWith("image ", StringComparison.Ordinal)).Map(m => m.Value[6..]).Distinct().Strict();
            if (!images.IsEmpty)
            {
                // repositories.json names the images: what `docker pull` takes. An image no name refers to is known by its ID only.
                var names = images.Map(id => (Id: id, Pull: Diagnostics.RepositoriesJson.Pullable(report.ImageReferences.Find(id).IfNone(Seq<string>.Empty))));
                sb.Append($"# {images.Count} image(s) to fetch again once moved (their layers come from the registry):\n");
                foreach (var (id, pull) in names)
                    sb.Append(pull.IsEmpty
                        ? $"#   {C(id)}  (no name in repositories.json: pull it by the name you gave it)\n"
                        : $"#   docker pull {C(string.Join(" && docker pull ", pull.Map(CleanupPlan.ShellQuote)))}  (image {C(id)})\n");
            }
        }
        if (report.Outcome == Drivers.Outcome.GraphdriverNotUsed)
            sb.Append("# WARNING: outcome is graphdriver_not_used: under these rules dockerd does not use this layerdb (see the report's hints).\n");
        else if (report.Outcome != Drivers.Outcome.Loaded)
            sb.Append($"# WARNING: outcome is {report.Outcome.Id()}; repair what stops the daemon first.\n");
        sb.Append(Prelude(root));
        // Mount folders the plan re-creates: their ID files name the only pair of folders on the image's top layer.
        var created = actions.Filter(a => a.Step == RepairStep.CreateMountFolder).Map(a => a.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var a in actions)
        {
            sb.Append($"# {a.Repairs.Id()} {C(a.FindingPath)}: {C(Describe(a, created))}\n");
            var needs = a.Requires.Map(r => $"[ -d {At(r)} ] && ").IfNone("");
            var path = At(a.Path);
            var value = CleanupPlan.ShellQuote(a.Value);
            sb.Append(a.Step switch
            {
                RepairStep.WriteLinkFile or RepairStep.WriteLowerFile or RepairStep.WriteMountId or RepairStep.WriteInitId or RepairStep.WriteCacheId or RepairStep.WriteParentFile or RepairStep.WriteMountParent =>
                    $"if {needs}inside {path} && differs {path} {value}; then put {path} {value}; fi\n",
                RepairStep.CreateShortLink => $"if {needs}inside {path} && [ ! -e {path} ] && [ ! -L {path} ]; then run ln -s -- {value} {path}; fi\n",
                RepairStep.RemoveLowerFile or RepairStep.RemoveParentFile => $"if inside {path} && [ -f {path} ] && [ ! -L {path} ]; then run rm -f -- {path}; fi\n",
                RepairStep.RemoveEmptyFolder => $"if inside {path} && [ -d {path} ] && [ ! -L {path} ]; then run rmdir -- {path}; fi\n",
                RepairStep.CreateMountFolder or RepairStep.CreateLinkFolder => $"if {needs}inside {path} && [ ! -e {path} ] && [ ! -L {path} ]; then run mkdir -- {path}; fi\n",
                _ => $"if inside {path} && {{ [ -e {path} ] || [ -L {path} ]; }}; then run rm -rf -- {path}; fi\n",
            });
        }
        if (!containerd.IsEmpty && report.Containerd.TrySome(out var store))
        {
            // dockerd's own containerd listens under its exec root; a system containerd (--containerd-root) on its own socket.
            var socket = store.Root.StartsWith('/') ? "/run/containerd/containerd.sock" : "/var/run/docker/containerd/containerd.sock";
            sb.Append($"CTR_ADDRESS=${{CTR_ADDRESS:-{socket}}}\n");
            var ctr = "ctr --address \"$CTR_ADDRESS\" --connect-timeout 5s -n moby";
            // Asked once, with a short connection timeout (ctr waits for a socket that is not there): when containerd does not
            // answer, each step is printed as not run, so that a dry run without the daemon still shows every step.
            sb.Append($"if [ -S \"$CTR_ADDRESS\" ] && {ctr} version > /dev/null 2>&1; then CTR_UP=1; else CTR_UP=0; "
                + "printf 'containerd does not answer at %s: its steps below are shown, not run\\n' \"$CTR_ADDRESS\"; fi\n");
            sb.Append("ctr_run() { if [ \"$CTR_UP\" = 1 ]; then run \"$@\"; else printf 'not run (containerd does not answer):'; printf ' %s' \"$@\"; printf '\\n'; fi; }\n");
            foreach (var c in containerd)
            {
                var target = CleanupPlan.ShellQuote(c.Target);
                sb.Append($"# {c.Repairs.Id()} {C(c.FindingPath)}: {C(ContainerdDescribe(c))}\n");
                sb.Append(c.Step switch
                {
                    Containerd.ContainerdRepairStep.RemoveSnapshot =>
                        $"if [ \"$CTR_UP\" = 0 ] || {ctr} snapshots --snapshotter {CleanupPlan.ShellQuote(store.Snapshotter)} info {target} > /dev/null 2>&1; then ctr_run {ctr} snapshots --snapshotter {CleanupPlan.ShellQuote(store.Snapshotter)} rm {target}; fi\n",
                    Containerd.ContainerdRepairStep.RemoveBlob =>
                        $"if [ \"$CTR_UP\" = 0 ] || {ctr} content ls -q | grep -qxF -- {target}; then ctr_run {ctr} content rm {target}; fi\n",
                    _ => $"ctr_run docker pull {target}\n",
                });
            }
        }
        foreach (var q in quarantine)
            foreach (var m in moves)
            {
                var target = CleanupPlan.ShellQuote(q.TrimEnd('/') + "/" + m.Path);
                sb.Append($"# {m.Repairs.Id()} {C(m.FindingPath)}: {C(Describe(m, created))}\n");
                sb.Append($"if inside {At(m.Path)} && {{ [ -e {At(m.Path)} ] || [ -L {At(m.Path)} ]; }}; then moveout {At(m.Path)} {target}; fi\n");
            }
        return sb.ToString();
    }

    // The script's helpers. inside: the entry's folder exists and, with every link resolved, lies under the root (a link such
    // as overlay2/l -> /elsewhere is never followed). differs: the entry is absent, or a regular file whose bytes are not the
    // text (anything else, a FIFO included, is skipped and never read). put: writes through a new temporary file (mktemp) in
    // the same folder, renamed over the entry. moveout: moves into the quarantine, never into the root.
    private static string Prelude(string root) => $$"""
        set -eu
        DRY_RUN=1
        ROOT_REAL=$(readlink -f -- {{CleanupPlan.ShellQuote(root)}})
        ROOT_REAL=${ROOT_REAL%/}
        run() { if [ "$DRY_RUN" = 0 ]; then "$@"; else printf 'would run:'; printf ' %s' "$@"; printf '\n'; fi; }
        inside() {
          if [ -d "$(dirname -- "$1")" ]; then
            case "$(readlink -f -- "$(dirname -- "$1")")/" in "$ROOT_REAL"/*) return 0 ;; esac
          fi
          printf 'skipped %s: its folder is missing or not inside the docker root\n' "$1" >&2; return 1
        }
        differs() {
          if [ ! -e "$1" ] && [ ! -L "$1" ]; then return 0; fi
          if [ ! -f "$1" ] || [ -L "$1" ]; then printf 'skipped %s: not a regular file\n' "$1" >&2; return 1; fi
          ! printf '%s' "$2" | cmp -s -- - "$1"
        }
        put() {
          if [ "$DRY_RUN" != 0 ]; then printf 'would write %s: %s\n' "$1" "$2"; return 0; fi
          tmp=$(mktemp -- "$1.layerfn-XXXXXX")
          printf '%s' "$2" > "$tmp" && chmod 644 -- "$tmp" && mv -f -- "$tmp" "$1"
        }
        moveout() {
          if [ -e "$2" ] || [ -L "$2" ]; then printf 'skipped %s: %s is already taken in the quarantine\n' "$1" "$2" >&2; return 0; fi
          if [ "$DRY_RUN" != 0 ]; then printf 'would move %s to %s\n' "$1" "$2"; return 0; fi
          mkdir -p -- "$(dirname -- "$2")"
          case "$(readlink -f -- "$(dirname -- "$2")")/" in
            "$ROOT_REAL"/*) printf 'skipped %s: the quarantine folder is inside the docker root\n' "$2" >&2; return 0 ;;
          esac
          mv -- "$1" "$2"
        }

        """;

    /// <summary>
    /// What the plan moves out of the root for the layers that cannot be recovered from what is on disk (issue "a repair
    /// plan"): a loaded layer whose driver folder is gone (<c>cache_dir_missing</c>), whose tar-split is gone or damaged
    /// (<c>tar_split_missing</c>, <c>tar_split_invalid</c>), or whose content does not hash (<c>layer_content_mismatch</c>,
    /// with <c>--content</c>); with it every descendant layer's folder, every mount on them with its container's folder, and
    /// every image whose top layer is among them (its config and metadata); the driver folders of those layers and mounts move
    /// with them (a container's read-write data above all), unless a layer or mount that stays names one. In path order, each with the finding that condemns it (the first by path when several do); <see cref="RepairAction.Value"/>
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
        // A layer that does not load, on a condemned layer (through other layers that do not load), loses its parent with the
        // move: it goes too, with its driver folder (a lost cache-id's matched folder too).
        var unloaded = report.Unloaded.ToDictionary(u => u.ChainID);
        var byChain = condemned.ToDictionary(kv => graph[kv.Key].ChainID, kv => kv.Value);
        var condemnedUnloaded = new List<(Diagnostics.UnloadedLayer Layer, Problem Why)>();
        foreach (var u in report.Unloaded)
        {
            var seen = new System.Collections.Generic.HashSet<ChainID>();
            for (var at = u.Parent; at.TrySome(out var parent) && seen.Add(parent); at = unloaded.TryGetValue(parent, out var below) ? below.Parent : Option<ChainID>.None)
                if (byChain.TryGetValue(parent, out var why)) { condemnedUnloaded.Add((u, why)); break; }
        }
        foreach (var (u, why) in condemnedUnloaded) byChain.TryAdd(u.ChainID, why);
        if (byChain.Count == 0) return LanguageExt.Prelude.Empty;
        var imageDb = layerDb[..^"layerdb".Length] + "imagedb";
        var moves = new List<RepairAction>();
        void Move(string path, Problem why, string value = "") => moves.Add(new RepairAction(RepairStep.Quarantine, path, value, why.Kind, why.Path));
        // Driver folders move with their metadata (a container's read-write data above all), unless something that stays names them.
        var layout = Drivers.DriverLayout.For(report.Driver.Name.IfNone(default(DriverName)));
        var condemnedMounts = report.Store.Mounts.Filter(m => m.Parent.Exists(byChain.ContainsKey)).Strict();
        var staying = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Count; i++)
            if (!condemned.ContainsKey(i)) staying.Add(graph[i].CacheID.Value);
        foreach (var u in report.Unloaded.Filter(u => !byChain.ContainsKey(u.ChainID)))
            foreach (var id in u.CacheId) staying.Add(id);
        foreach (var m in report.Store.Mounts.Filter(m => !condemnedMounts.Contains(m)))
        {
            staying.Add(m.MountID.Value);
            if (m.InitID.TrySome(out var init)) staying.Add(init.Value);
        }
        // A folder the report found missing has nothing to move.
        var missing = report.Problems.Filter(p => p.Kind is ProblemKind.CacheDirMissing or ProblemKind.MountDirMissing or ProblemKind.InitDirMissing)
            .Map(p => p.Path).ToHashSet(StringComparer.Ordinal);
        void MoveDriverFolder(string id, Problem why)
        {
            if (layout.Decidable && Diagnostics.DriverFolderChecks.IsPlainName(id) && !staying.Contains(id) && !missing.Contains(layout.FolderOf(id)))
                Move(layout.FolderOf(id), why);
        }
        foreach (var (i, why) in condemned)
        {
            Move(layerDb + "/" + graph[i].ChainID.Digest.FolderKey, why);
            MoveDriverFolder(graph[i].CacheID.Value, why);
        }
        foreach (var (u, why) in condemnedUnloaded)
        {
            Move(layerDb + "/" + u.ChainID.Digest.FolderKey, why);
            foreach (var id in u.CacheId) MoveDriverFolder(id, why);
        }
        foreach (var m in condemnedMounts)
        {
            var why = byChain[m.Parent.IfNone(() => throw new InvalidOperationException())];
            Move(layerDb + "/mounts/" + m.Name, why);
            if (report.Containers.ContainsKey(m.Name)) Move("containers/" + m.Name, why);
            MoveDriverFolder(m.MountID.Value, why);
            if (m.InitID.TrySome(out var init)) MoveDriverFolder(init.Value, why);
        }
        foreach (var image in report.Images)
            if (image.TopChainId.TrySome(out var top) && byChain.TryGetValue(top, out var why) && image.Id.StartsWith("sha256:", StringComparison.Ordinal))
            {
                Move(imageDb + "/content/sha256/" + image.Id[7..], why, "image " + image.Id);
                Move(imageDb + "/metadata/sha256/" + image.Id[7..], why);
            }
        return moves.DistinctBy(m => m.Path).OrderBy(m => m.Path, StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <summary>The findings a plan leaves: root causes (no <c>caused_by</c>) of severity error or warning that no action
    /// repairs (by the finding it names, or by rewriting the finding's file, as a written <c>mount-id</c> repairs
    /// <c>mount_id_missing</c>), except those the clean-up plan handles (orphan folders, dangling short links), in report order.</summary>
    /// <param name="report">The check report.</param>
    public static Seq<Problem> NotRepaired(CheckReport report) => NotRepaired(report, Quarantine(report));

    private static Seq<Problem> NotRepaired(CheckReport report, Seq<RepairAction> moves)
    {
        var condemning = moves.Map(m => (m.Repairs, m.FindingPath)).ToHashSet();
        var actions = Actions(report, moves);
        var moved = Moved(moves);
        var repaired = actions.Map(a => (a.Repairs, a.FindingPath)).ToHashSet();
        repaired.UnionWith(ContainerdCommands(report).Map(c => (c.Repairs, c.FindingPath)));
        var written = actions.Map(a => a.Path).ToHashSet(StringComparer.Ordinal);
        return report.Problems.Filter(p => p.Severity != Severity.Info && p.CausedBy.IsNone && !repaired.Contains((p.Kind, p.Path))
            && !written.Contains(p.Path) && !condemning.Contains((p.Kind, p.Path)) && !Inside(p.Path, moved)
            && p.Kind is not (ProblemKind.OrphanDriverDir or ProblemKind.OverlaySymlinkDangling or ProblemKind.ContainerdOrphanSnapshotDir)).Strict();
    }

    /// <summary>The repair actions the plan runs: the report's (<see cref="CheckReport.Repairs"/>), less those that write
    /// into, or need, what the quarantine moves out (a <c>cache-id</c> written under a quarantined layer would only be moved).</summary>
    /// <param name="report">The check report.</param>
    /// <param name="moves">Its quarantine (<see cref="Quarantine"/>).</param>
    public static Seq<RepairAction> Actions(CheckReport report, Seq<RepairAction> moves)
    {
        if (moves.IsEmpty) return report.Repairs;
        var moved = Moved(moves);
        return report.Repairs.Filter(a => !Inside(a.Path, moved) && !a.Requires.Exists(r => Inside(r, moved))).Strict();
    }

    private static System.Collections.Generic.HashSet<string> Moved(Seq<RepairAction> moves) =>
        moves.Map(m => m.Path).ToHashSet(StringComparer.Ordinal);

    // Whether a path is one the quarantine moves, or lies inside one (a path relative to the root, '/'-separated).
    private static bool Inside(string path, System.Collections.Generic.HashSet<string> moved)
    {
        for (var at = path; ; at = at[..at.LastIndexOf('/')])
        {
            if (moved.Contains(at)) return true;
            if (at.LastIndexOf('/') < 0) return false;
        }
    }

    /// <summary>The containerd store's commands (<see cref="Containerd.ContainerdRepairs.Plan"/>); empty without a containerd store.</summary>
    /// <param name="report">The check report.</param>
    public static Seq<Containerd.ContainerdRepair> ContainerdCommands(CheckReport report) =>
        report.Containerd.Filter(v => v.Found).Map(v => Containerd.ContainerdRepairs.Plan(v, report.Problems).Commands).IfNone(Seq<Containerd.ContainerdRepair>.Empty);

    private static string ContainerdStepId(Containerd.ContainerdRepairStep step) => step switch
    {
        Containerd.ContainerdRepairStep.RemoveSnapshot => "remove_snapshot",
        Containerd.ContainerdRepairStep.RemoveBlob => "remove_blob",
        _ => "pull_image",
    };

    private static string ContainerdDescribe(Containerd.ContainerdRepair c) => c.Step switch
    {
        Containerd.ContainerdRepairStep.RemoveSnapshot => "remove the snapshot (containerd unpacks the image again when it is next used)",
        Containerd.ContainerdRepairStep.RemoveBlob => "remove the blob's record, so that a pull fetches it again",
        _ => "pull the image again: its missing blobs and layers come back from the registry",
    };

    /// <summary>The snake_case name of a step, as the plan's header prints it.</summary>
    /// <param name="step">A step.</param>
    public static string StepId(RepairStep step) => step switch
    {
        RepairStep.CreateLinkFolder => "create_link_folder",
        RepairStep.WriteLinkFile => "write_link_file",
        RepairStep.CreateShortLink => "create_short_link",
        RepairStep.WriteLowerFile => "write_lower_file",
        RepairStep.RemoveLowerFile => "remove_lower_file",
        RepairStep.CreateMountFolder => "create_mount_folder",
        RepairStep.WriteMountId => "write_mount_id",
        RepairStep.WriteInitId => "write_init_id",
        RepairStep.WriteCacheId => "write_cache_id",
        RepairStep.WriteParentFile => "write_parent_file",
        RepairStep.RemoveParentFile => "remove_parent_file",
        RepairStep.WriteMountParent => "write_mount_parent",
        RepairStep.RemoveEmptyFolder => "remove_empty_folder",
        RepairStep.Quarantine => "quarantine",
        _ => "remove_leftover",
    };

    private static string Describe(RepairAction a, IReadOnlySet<string> createdMountFolders) => a.Step switch
    {
        RepairStep.CreateLinkFolder => "re-create the folder of short links (its links follow)",
        RepairStep.WriteLinkFile => $"write the short name {a.Value} into the link file",
        RepairStep.CreateShortLink => $"recreate the short link to {a.Value}",
        RepairStep.WriteLowerFile => "rebuild the lower file from the parent chain",
        RepairStep.RemoveLowerFile => "remove the lower file of a layer with nothing below it",
        RepairStep.CreateMountFolder => "re-create the container's mount folder",
        RepairStep.WriteMountId or RepairStep.WriteInitId when createdMountFolders.Contains(a.Path[..Math.Max(0, a.Path.LastIndexOf('/'))]) =>
            $"register the {(a.Step == RepairStep.WriteMountId ? "read-write" : "init")} folder {a.Value}: the only pair whose init folder sits on the top layer of the container's image",
        RepairStep.WriteMountId => $"register the read-write folder {a.Value} that the init ID names",
        RepairStep.WriteInitId => $"register the init folder {a.Value} that the mount ID names",
        RepairStep.WriteCacheId => $"register the folder {a.Value} as the layer's content: the lower files of the folders above it place it there",
        RepairStep.WriteParentFile => $"write parent {a.Value}: the layer's chain ID is the hash of it and the layer's diff ID",
        RepairStep.RemoveParentFile => "remove the parent file: the layer's chain ID is its diff ID (a base layer)",
        RepairStep.WriteMountParent => $"write parent {a.Value}: the top layer of the container's image",
        RepairStep.RemoveEmptyFolder => "remove the empty layer folder (moby skips it)",
        RepairStep.Quarantine => "move out of the root: it cannot be recovered from what is on disk, or depends on what cannot",
        _ => "remove the leftover",
    };
}
