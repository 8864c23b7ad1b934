using System.Text;
using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// The table view of a report (<c>check --table</c>): one row per layer (loaded and skipped), per mount and
/// per problem, in aligned columns, for reading on a terminal or feeding to <c>column</c>/<c>awk</c>.
/// Deterministic: rows in ordinal order of their first column.
/// </summary>
public static class TableReport
{
    /// <summary>Renders the three tables.</summary>
    /// <param name="r">The report.</param>
    /// <returns>Lines ending with a newline.</returns>
    public static string Render(CheckReport r)
    {
        var sb = new StringBuilder();
        var layers = r.Store.Layers.Map(l => new[]
            {
                l.ChainID.Short, "loaded", l.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                l.ReferenceCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                HumanReport.HumanSize(l.Size), l.CacheID.Value.Length > 12 ? l.CacheID.Value[..12] : l.CacheID.Value, l.Parent.Map(p => p.Short).IfNone("-"),
            })
            .Concat(r.Store.SkippedLayers.Map(s => new[] { s.ChainID.Short, "skipped: " + s.Kind.Id(), "-", "-", "-", "-", "-" }));
        Table(sb, ["LAYER", "STATUS", "DEPTH", "REFS", "SIZE", "CACHE ID", "PARENT"], layers);
        sb.Append('\n');
        var mounts = r.Store.Mounts.Map(m => new[]
            {
                Short(m.Name.Value), "loaded", r.Containers.Find(m.Name).Bind(c => c.Name).Map(HumanReport.Esc).IfNone("-"),
                Short(m.MountID.Value), m.Parent.Map(p => p.Short).IfNone("-"),
            })
            .Concat(r.Store.SkippedMounts.Map(m => new[] { Short(m.Name.Value), "skipped: " + m.Kind.Id(), "-", "-", "-" }));
        Table(sb, ["MOUNT", "STATUS", "CONTAINER", "MOUNT ID", "PARENT"], mounts);
        sb.Append('\n');
        Table(sb, ["SEVERITY", "KIND", "PATH"], r.Problems.Map(p => new[] { p.Severity.ToString().ToLowerInvariant(), p.Kind.Id(), HumanReport.Esc(p.Path) }), sort: false);
        return sb.ToString();
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : HumanReport.Esc(id);

    private static void Table(StringBuilder sb, string[] header, Seq<string[]> rows, bool sort = true)
    {
        var ordered = sort ? rows.OrderBy(r => r[0], StringComparer.Ordinal).ToList() : rows.ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, ordered.Count == 0 ? 0 : ordered.Max(r => r[i].Length))).ToArray();
        void Row(string[] cells) => sb.Append(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Row(header);
        foreach (var row in ordered) Row(row);
        if (ordered.Count == 0) sb.Append("(none)\n");
    }
}
