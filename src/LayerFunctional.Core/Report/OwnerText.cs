namespace LayerFunctional;

/// <summary>Renders an <see cref="Owner"/> (<c>layerfn which</c>) as lines of text: the query, the note, then one labelled
/// line per known fact (layer, driver ID, container, images, other containers using it).</summary>
public static class OwnerText
{
    /// <summary>The text, ending with a newline.</summary>
    /// <param name="o">The answer.</param>
    public static string Render(Owner o)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(o.Query).Append('\n');
        sb.Append("  ").Append(o.Note).Append('\n');
        o.ChainId.IfSome(c => sb.Append("  layer:      ").Append(c).Append('\n'));
        o.CacheId.IfSome(c => sb.Append("  driver ID:  ").Append(c).Append('\n'));
        o.Mount.IfSome(m => sb.Append("  container:  ").Append(m.Value).Append(o.ContainerName.Map(n => " (" + n + ")").IfNone("")).Append('\n'));
        foreach (var i in o.Images) sb.Append("  image:      ").Append(i).Append('\n');
        foreach (var c in o.Containers.Filter(c => o.Mount.Map(m => m != c).IfNone(true))) sb.Append("  used by:    container ").Append(c.Value).Append('\n');
        return sb.ToString();
    }
}
