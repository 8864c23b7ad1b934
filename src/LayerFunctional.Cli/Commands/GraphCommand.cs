using System.CommandLine;
using LayerFunctional.Edge;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn graph</c>: the layer forest with mounts and images as Graphviz DOT or Mermaid (<see cref="GraphRender"/>).</summary>
internal static class GraphCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the drawing goes.</param>
    /// <param name="stderr">Where errors go.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var root = SharedOptions.RootArgument("The docker root to draw.");
        var driver = SharedOptions.Driver();
        var moby = SharedOptions.MobyVersionOption();
        var format = new Option<string>("--format", "-f") { Description = "dot (Graphviz) or mermaid.", DefaultValueFactory = _ => "dot" };
        format.AcceptOnlyFromAmong("dot", "mermaid");
        var graph = new Command("graph", """
            Draw the layer forest with container mounts and images: base layers at the top, each parent
            above its children, mounts (boxes) on their image's top layer, images (ellipses) pointing at
            their top layer. Layers and mounts moby skips are red and dashed; ones with problems orange;
            images moby does not restore red.

            Examples:
              layerfn graph /var/lib/docker | dot -Tpng > layers.png
              layerfn graph ./root --format mermaid > layers.mmd
            """)
        {
            root, driver, moby, format,
        };
        // Colours come from every problem, so the checks run; tar-split streams, content and folder sizes are not read.
        graph.SetAction(parse => SharedOptions.Version(parse.GetValue(moby)).Match(
            Left: error => SharedOptions.Fail(stderr, error),
            Right: version => Lookups.GraphReport(new LookupOptions(parse.GetValue(root) ?? SharedOptions.DefaultRoot, version,
                    SharedOptions.ExplicitDriver(parse.GetValue(driver)))).Match(
                Left: error => SharedOptions.Fail(stderr, error),
                Right: report =>
                {
                    stdout.Write(GraphRender.Render(report, parse.GetValue(format) == "mermaid" ? GraphFormat.Mermaid : GraphFormat.Dot));
                    return 0;
                })));
        return graph;
    }
}
