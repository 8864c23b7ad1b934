using System.Globalization;
using System.Text;
using LanguageExt;

namespace LayerFunctional;

/// <summary>The two picture formats of <c>layerfn graph</c>.</summary>
public enum GraphFormat
{
    /// <summary>Graphviz DOT (<c>dot -Tpng</c>).</summary>
    Dot,
    /// <summary>Mermaid flowchart (renders in GitHub and GitLab Markdown).</summary>
    Mermaid,
}

/// <summary>
/// Draws a report's layer forest as a picture: base layers at the top, an edge from each parent to each
/// child layer, container mounts (box) on their image top layer, images (ellipse) pointing at their top
/// layer. Broken parts stand out: layers moby skips are red and dashed (with the problem that drops them),
/// loaded layers and mounts with a problem are orange, images moby does not restore are red. Pure and
/// deterministic: nodes and edges in ordinal order, identifiers from the IDs.
/// </summary>
public static class GraphRender
{
    private sealed record Node(string Id, string Label, string Shape, string Style);
    private sealed record Edge(string From, string To, bool Dashed);

    /// <summary>Renders the picture.</summary>
    /// <param name="report">A check report.</param>
    /// <param name="format">DOT or Mermaid.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Render(CheckReport report, GraphFormat format)
    {
        var (nodes, edges) = Build(report);
        return format == GraphFormat.Dot ? Dot(report, nodes, edges) : Mermaid(nodes, edges);
    }

    private static (Seq<Node>, Seq<Edge>) Build(CheckReport r)
    {
        var troubled = r.Problems.Filter(p => p.Severity != Severity.Info).Map(p => p.ChainId).Somes().ToHashSet();
        var troubledMounts = r.Problems.Filter(p => p.Severity != Severity.Info).Map(p => p.Mount).Somes().ToHashSet();
        var nodes = new List<Node>();
        var edges = new List<Edge>();
        foreach (var l in r.Store.Layers)
        {
            var id = "L" + l.ChainID.Digest.Encoded[..12];
            var refs = l.ReferenceCount;
            nodes.Add(new Node(id, $"{l.ChainID.Short}\\n{Size(l.Size)}, refs {refs}", "layer",
                troubled.Contains(l.ChainID) ? "warn" : "ok"));
            l.Parent.IfSome(p => edges.Add(new Edge("L" + p.Digest.Encoded[..12], id, false)));
        }
        foreach (var s in r.Store.SkippedLayers)
            nodes.Add(new Node("L" + s.ChainID.Digest.Encoded[..12], $"{s.ChainID.Short}\\nskipped: {s.Kind.Id()}", "layer", "bad"));
        foreach (var m in r.Store.Mounts)
        {
            var id = "M" + Safe(m.Name.Value);
            var name = r.Containers.Find(m.Name).Bind(c => c.Name).IfNone(m.Name.Short);
            nodes.Add(new Node(id, $"container {Escape(name)}", "mount", troubledMounts.Contains(m.Name) ? "warn" : "ok"));
            m.Parent.IfSome(p => edges.Add(new Edge("L" + p.Digest.Encoded[..12], id, false)));
        }
        foreach (var m in r.Store.SkippedMounts)
            nodes.Add(new Node("M" + Safe(m.Name.Value), $"container {Escape(m.Name.Short)}\\nskipped: {m.Kind.Id()}", "mount", "bad"));
        foreach (var i in r.Images)
        {
            var id = "I" + Safe(i.Id.Length > 19 ? i.Id[7..19] : i.Id);
            nodes.Add(new Node(id, $"image {(i.Id.Length > 19 ? i.Id[7..19] : Escape(i.Id))}{(i.Loads ? "" : "\\nnot restored")}", "image", i.Loads ? "ok" : "bad"));
            i.TopChainId.IfSome(t => edges.Add(new Edge(id, "L" + t.Digest.Encoded[..12], true)));
        }
        var known = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return (nodes.DistinctBy(n => n.Id).OrderBy(n => n.Id, StringComparer.Ordinal).ToSeq().Strict(),
            edges.Where(e => known.Contains(e.From) && known.Contains(e.To)).Distinct()
                .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ToSeq().Strict());
    }

    private static string Dot(CheckReport r, Seq<Node> nodes, Seq<Edge> edges)
    {
        var sb = new StringBuilder();
        sb.Append("digraph layers {\n");
        sb.Append("  graph [rankdir=TB, fontname=\"Helvetica\", label=\"").Append(Escape(r.Root)).Append(": ")
            .Append(r.Outcome.Id()).Append(", moby ").Append(r.Moby.ToString()).Append("\", labelloc=t];\n");
        sb.Append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (var n in nodes)
        {
            var shape = n.Shape switch { "mount" => "box", "image" => "ellipse", _ => "box, style=\"rounded" + (n.Style == "bad" ? ",dashed" : "") + "\"" };
            var color = n.Style switch { "bad" => "red", "warn" => "orange", _ => "black" };
            sb.Append("  ").Append(n.Id).Append(" [label=\"").Append(n.Label).Append("\", shape=").Append(shape)
                .Append(", color=").Append(color).Append(n.Style == "ok" ? "" : ", penwidth=2").Append("];\n");
        }
        foreach (var e in edges)
            sb.Append("  ").Append(e.From).Append(" -> ").Append(e.To).Append(e.Dashed ? " [style=dashed, arrowhead=empty]" : "").Append(";\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Mermaid(Seq<Node> nodes, Seq<Edge> edges)
    {
        var sb = new StringBuilder();
        sb.Append("flowchart TB\n");
        foreach (var n in nodes)
        {
            var label = n.Label.Replace("\\n", "<br/>", StringComparison.Ordinal).Replace("\"", "#quot;", StringComparison.Ordinal);
            var (open, close) = n.Shape switch { "image" => ("([", "])"), "mount" => ("[", "]"), _ => ("(", ")") };
            sb.Append("  ").Append(n.Id).Append(open).Append('"').Append(label).Append('"').Append(close).Append('\n');
        }
        foreach (var e in edges) sb.Append("  ").Append(e.From).Append(e.Dashed ? " -.-> " : " --> ").Append(e.To).Append('\n');
        sb.Append("  classDef bad stroke:#d00,stroke-width:2px,stroke-dasharray:4 3\n");
        sb.Append("  classDef warn stroke:#e80,stroke-width:2px\n");
        foreach (var style in new[] { "bad", "warn" })
        {
            var ids = nodes.Filter(n => n.Style == style).Map(n => n.Id).ToList();
            if (ids.Count > 0) sb.Append("  class ").Append(string.Join(',', ids)).Append(' ').Append(style).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A node identifier from any name: letters and digits kept, everything else as <c>_XX</c>.</summary>
    private static string Safe(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else sb.Append('_').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Text inside a quoted label: quotes, backslashes and control characters escaped.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '<' or '>' or '{' or '}' or '|' => "\\" + c,
                _ when char.IsControl(c) => "\\\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    private static string Size(long bytes) =>
        bytes < 1024 ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
        : bytes < 1024 * 1024 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB"
        : (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
