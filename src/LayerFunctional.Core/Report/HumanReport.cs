using System.Globalization;
using System.Text;
using LanguageExt;
using LayerFunctional.Drivers;
using LayerFunctional.Go;
using LayerFunctional.Graph;

namespace LayerFunctional;

/// <summary>
/// The human form of a report: summary first, then the layer forest as a tree, the mounts, what moby
/// drops, and the problems grouped by severity. Deterministic (ordinal order, invariant culture).
/// </summary>
public static class HumanReport
{
    private const int MaxIndent = 24;

    /// <summary>Renders the report as text.</summary>
    /// <param name="r">The report.</param>
    /// <param name="colour">Colour the outcome and the severity headings with ANSI escapes (only for a terminal).</param>
    /// <returns>Lines ending with a newline.</returns>
    public static string Render(CheckReport r, bool colour = false)
    {
        string Paint(string text, string code) => colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
        var sb = new StringBuilder();
        var errors = r.Problems.Count(p => p.Severity == Severity.Error);
        var warnings = r.Problems.Count(p => p.Severity == Severity.Warning);
        var infos = r.Problems.Count(p => p.Severity == Severity.Info);
        Line(sb, $"docker root:  {Esc(r.Root)}   (moby {r.Moby} rules)");
        Line(sb, $"graph driver: {r.Driver.Name.Map(n => n.Value).IfNone("(none)")}{r.Driver.SelectedBy.Map(s => $" [{s.Id()}]").IfNone("")}: {r.Driver.Reason}");
        if (!r.Driver.PriorState.IsEmpty) Line(sb, $"prior state:  {string.Join(", ", r.Driver.PriorState)}");
        Line(sb, $"outcome:      {Paint(r.Outcome.Id(), r.Outcome == Outcome.Loaded ? "32" : "1;31")}{OutcomeNote(r)}");
        r.LayerDb.IfSome(db => Line(sb, $"layerdb:      {db}"));
        Line(sb, $"layers:       {r.Store.Layers.Count} loaded, {r.Store.SkippedLayers.Count} skipped");
        Line(sb, $"mounts:       {r.Store.Mounts.Count} loaded, {r.Store.SkippedMounts.Count} skipped");
        if (!r.Containers.IsEmpty)
            Line(sb, $"containers:   {r.Containers.Values.Count(c => c.Listed)} restored, {r.Containers.Values.Count(c => !c.Listed)} not");
        r.Containerd.IfSome(c =>
        {
            if (!c.Found)
            {
                // The hint only where the managed root was looked at: a root named with --containerd-root needs no hint to it.
                Line(sb, $"containerd:   no store at {Esc(c.Root)}: dockerd lists no image"
                         + (c.Root == Containerd.ContainerdStoreSnapshot.ManagedRoot ? " (a system containerd's root is named with --containerd-root)" : ""));
                return;
            }
            Line(sb, $"containerd:   {c.Images.Count} image(s), {c.Snapshots.Count} {c.Snapshotter} snapshot(s), {c.Blobs} blob(s) of {HumanSize(c.BlobBytes)}, "
                     + $"{c.Containers.Count} container record(s), {c.Leases.Count} lease(s) in {Esc(c.Root)}");
            foreach (var image in c.Images) Line(sb, $"  image {Esc(image.Name)}  {Esc(image.TargetDigest)}");
        });
        foreach (var forecast in r.Migration) if (MigrationLine(forecast) is { } line) Line(sb, "migration:    " + line);
        if (!r.ImageStores.IsEmpty)
        {
            var shown = r.ImageStores.Filter(x => x.Shown).Map(StoreName).Strict();
            Line(sb, $"image stores: {r.ImageStores.Count}; "
                     + (!shown.IsEmpty ? "dockerd shows " + string.Join(" and ", shown) : r.ImageStores.Count == 1 ? "dockerd does not show it" : "dockerd shows none of them"));
            foreach (var store in r.ImageStores)
                Line(sb, $"  {StoreName(store),-28} {Esc(store.Where),-24} {(store.Shown ? "shown" : "not shown"),-10} {store.Images.Count} image(s), "
                         + $"{HumanSize(store.Bytes)} of {(store.Kind == ImageStoreKind.Containerd ? "blobs" : "layer data")}");
            var hiddenOnly = ImageStores.OnlyInHidden(r.ImageStores);
            if (!hiddenOnly.IsEmpty)
            {
                Line(sb, $"  only in a store dockerd does not show: {hiddenOnly.Count} image(s)");
                foreach (var (store, image) in hiddenOnly)
                    Line(sb, $"    {Esc(image.ConfigDigest)}  {(image.Names.IsEmpty ? "(no name)" : Esc(string.Join(", ", image.Names)))}  in the {StoreName(store)}");
            }
        }
        var symptoms = r.Problems.Filter(p => p.CausedBy.IsSome).Strict();
        // Symptoms by their cause, grouped once (a store may have tens of thousands of each).
        var symptomsOf = symptoms.Choose(p => p.CausedBy.Map(c => (Cause: (c.Kind, c.Path), Symptom: p))).ToLookup(x => x.Cause, x => x.Symptom);
        Line(sb, $"problems:     {errors} error(s), {warnings} warning(s), {infos} info"
                 + (symptoms.IsEmpty ? "" : $" ({r.Problems.Count - symptoms.Count} root cause(s), {symptoms.Count} symptom(s) of them)"));
        if (!r.Hints.IsEmpty)
        {
            Line(sb, "");
            Line(sb, "To load the layerdb on disk anyway, run the check again with:");
            foreach (var h in r.Hints) Line(sb, $"  layerfn check {Esc(r.Root)} {h}");
        }

        if (!r.Store.Layers.IsEmpty)
        {
            Line(sb, "");
            Line(sb, "Layer forest (chain ID, diff ID, size, references):");
            RenderForest(sb, r.Store);
        }
        if (!r.Store.Mounts.IsEmpty)
        {
            Line(sb, "");
            Line(sb, "Mounts (name, parent layer, mount ID, init ID):");
            foreach (var m in r.Store.Mounts)
                Line(sb, $"  {Esc(m.Name.Value)}  on {m.Parent.Map(p => p.Short).IfNone("(no parent)")}  mount {m.MountID.Value[..12]}  init {m.InitID.Map(i => i.Value.Length > 12 ? i.Value[..12] + (i.Value.EndsWith("-init", StringComparison.Ordinal) ? "…-init" : "") : i.Value).IfNone("(none)")}{r.Containers.Find(m.Name).Bind(c => c.Name).Map(n => "  container " + Esc(n)).IfNone("")}");
        }
        if (!r.Images.IsEmpty)
        {
            Line(sb, "");
            Line(sb, "Images (ID, top layer, restored by moby):");
            foreach (var i in r.Images)
                Line(sb, $"  {i.Id[7..19]}  top {i.TopChainId.Map(t => t.Short).IfNone("(none)")}  {(i.Loads ? "restored" : "SKIPPED")}");
        }
        if (r.OrphanBytes > 0)
        {
            Line(sb, "");
            Line(sb, $"Orphan driver folders hold {HumanSize(r.OrphanBytes)} ({r.OrphanBytes} bytes) that nothing frees; 'layerfn check --plan' writes a clean-up script.");
        }
        if (!r.Store.SkippedLayers.IsEmpty || !r.Store.SkippedMounts.IsEmpty)
        {
            Line(sb, "");
            Line(sb, "Dropped by moby (logged at debug level only):");
            foreach (var s in r.Store.SkippedLayers) Line(sb, $"  layer {s.ChainID}  {s.Kind.Id()}  {Esc(s.Path)}");
            foreach (var s in r.Store.SkippedMounts) Line(sb, $"  mount {Esc(s.Name.Value)}  {s.Kind.Id()}  {Esc(s.Path)}");
        }
        r.Content.IfSome(content => RenderContent(sb, content));
        foreach (var severity in new[] { Severity.Error, Severity.Warning, Severity.Info })
        {
            // Root causes, each followed by the symptoms it explains (whatever their severity).
            var group = r.Problems.Filter(p => p.Severity == severity && p.CausedBy.IsNone);
            if (group.IsEmpty) continue;
            Line(sb, "");
            Line(sb, Paint($"{Title(severity)} ({group.Count}{(symptoms.IsEmpty ? "" : group.Count == 1 ? " root cause" : " root causes")}):", severity switch { Severity.Error => "1;31", Severity.Warning => "33", _ => "36" }));
            foreach (var p in group)
            {
                Line(sb, $"  {p.Kind.Id()}  {Esc(p.Path)}");
                Line(sb, $"      {Explain.Message(p)}");
                if (Explain.Consequence(p) is { Length: > 0 } consequence) Line(sb, $"      -> {consequence}");
                foreach (var s in symptomsOf[(p.Kind, p.Path)])
                {
                    Line(sb, $"      causes {s.Kind.Id()}  {Esc(s.Path)}");
                    Line(sb, $"          {Explain.Message(s)}");
                    if (Explain.Consequence(s) is { Length: > 0 } c) Line(sb, $"          -> {c}");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The content verification (<c>--content</c>): a count, then one line per layer.</summary>
    private static void RenderContent(StringBuilder sb, Seq<LayerFunctional.Content.LayerContent> content)
    {
        var verified = content.Count(c => c.Verdict is LayerFunctional.Content.ContentVerdict.Verified);
        var differ = content.Count(c => c.Verdict is LayerFunctional.Content.ContentVerdict.Differs);
        Line(sb, "");
        Line(sb, $"Content ({verified} verified, {differ} differ, {content.Count - verified - differ} not verified):");
        foreach (var c in content)
            Line(sb, c.Verdict switch
            {
                LayerFunctional.Content.ContentVerdict.Verified v => $"  {c.ChainID.Short}  verified  {HumanSize(v.TarBytes)} tar, {v.Files} entries  {Esc(c.ContentPath)}",
                LayerFunctional.Content.ContentVerdict.Differs d => $"  {c.ChainID.Short}  DIFFERS   {Esc(d.Difference.Detail)}",
                LayerFunctional.Content.ContentVerdict.NotVerified n => $"  {c.ChainID.Short}  not verified: {Esc(n.Reason)}",
                _ => "",
            });
    }

    private static string Title(Severity s) => s switch
    {
        Severity.Error => "Errors",
        Severity.Warning => "Warnings",
        _ => "Info",
    };

    private static string OutcomeNote(CheckReport r) => r.Outcome switch
    {
        Outcome.DaemonRefusesToStart => " (dockerd would exit during start-up)",
        Outcome.DaemonCrashes when r.Problems.Exists(p => p.Kind == ProblemKind.ParentCycle)
            => " (dockerd would crash with a stack overflow on a parent cycle)",
        Outcome.DaemonCrashes => " (dockerd would panic restoring a container: nil pointer dereference)",
        Outcome.GraphdriverNotUsed => " (dockerd would use the containerd image store and ignore the layerdb)",
        _ => "",
    };

    /// <summary>Iterative pre-order walk, so a 100,000-deep chain renders without recursion; the
    /// indentation stops growing after <see cref="MaxIndent"/> levels.</summary>
    private static void RenderForest(StringBuilder sb, LayerStore store)
    {
        var graph = LayerGraph.Of(store);
        var stack = new Stack<(int Index, string Prefix, bool Last, int Level)>();
        var roots = graph.Roots;
        for (var r = roots.Length - 1; r >= 0; r--) stack.Push((roots[r], "", r == roots.Length - 1, 0));
        while (stack.Count > 0)
        {
            var (index, prefix, last, level) = stack.Pop();
            var layer = graph[index];
            var connector = level == 0 ? "" : last ? "└─ " : "├─ ";
            Line(sb, $"  {prefix}{connector}{layer.ChainID.Short}  {layer.DiffID.Digest.Algorithm}:{layer.DiffID.Digest.Encoded[..12]}  {HumanSize(layer.Size)}  refs {layer.ReferenceCount}{(layer.Listed ? "" : "  (not listed: reached as a parent)")}");
            var kids = graph.ChildrenOf(index);
            var childPrefix = level == 0 ? "" : level >= MaxIndent ? prefix : prefix + (last ? "   " : "│  ");
            for (var i = kids.Length - 1; i >= 0; i--) stack.Push((kids[i], childPrefix, i == kids.Length - 1, level + 1));
        }
    }

    /// <summary>Bytes in binary units with one decimal: <c>512 B</c>, <c>1.5 KiB</c>, <c>2.0 GiB</c>.</summary>
    /// <param name="bytes">A size in bytes (may be negative: moby keeps negative sizes).</param>
    public static string HumanSize(long bytes)
    {
        if (Math.Abs(bytes) < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double v = bytes;
        var u = -1;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return v.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[u];
    }

    internal static string Esc(string s) => s.Any(c => char.IsControl(c) || c == '"' || c == '\\') ? GoText.Quote(s, 400) : s;

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');

    private static string StoreName(ImageStoreSummary store) =>
        store.Kind == ImageStoreKind.Containerd ? $"containerd store ({store.Name})" : $"{store.Name} store";

    // Only when the feature is set: what the next start does with the graph driver's images.
    private static string? MigrationLine(Drivers.MigrationForecast forecast) => forecast switch
    {
        Drivers.MigrationForecast.NotAttempted n => "not attempted: " + n.Why,
        Drivers.MigrationForecast.StaysOnGraphDriver s =>
            $"not run: {s.Images} image(s) with {HumanSize(s.TotalBytes)} in their top layers, over the threshold of {HumanSize(s.Threshold)} (DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD)",
        Drivers.MigrationForecast.Switches s =>
            $"dockerd switches to the containerd image store ({s.Snapshotter})"
            + (s.Images == 0 ? ", with no image to copy"
                : s.ContainerdImages > 0 ? $"; it holds {s.ContainerdImages} image(s) already, so the {s.Images} image(s) are not copied: visible in neither store"
                : !s.Failing.IsEmpty ? $" and copies {s.Images} image(s), but stops at {s.Failing.Count} layer(s) it cannot read: visible in neither store"
                : $" and copies {s.Images} image(s)"),
        _ => null,
    };
}
