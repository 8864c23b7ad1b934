using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LayerFunctional;

/// <summary>Serialises an <see cref="Owner"/> (fixed key order, snake_case, a final newline).</summary>
public static class OwnerJson
{
    /// <summary>The JSON text.</summary>
    /// <param name="o">The answer of <c>which</c>.</param>
    public static string Render(Owner o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("query", o.Query);
            w.WriteString("kind", o.Kind switch
            {
                OwnerKind.Layer => "layer",
                OwnerKind.Mount => "mount",
                OwnerKind.InitLayer => "init_layer",
                OwnerKind.Image => "image",
                OwnerKind.Orphan => "orphan",
                OwnerKind.Blob => "blob",
                _ => "unknown",
            });
            o.ChainId.Match(v => w.WriteString("chain_id", v), () => w.WriteNull("chain_id"));
            o.CacheId.Match(v => w.WriteString("driver_id", v), () => w.WriteNull("driver_id"));
            o.Mount.Match(v => w.WriteString("mount", v.Value), () => w.WriteNull("mount"));
            o.ContainerName.Match(v => w.WriteString("container_name", v), () => w.WriteNull("container_name"));
            w.WriteStartArray("images");
            foreach (var i in o.Images) w.WriteStringValue(i);
            w.WriteEndArray();
            w.WriteStartArray("containers");
            foreach (var c in o.Containers) w.WriteStringValue(c.Value);
            w.WriteEndArray();
            w.WriteString("note", o.Note);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
