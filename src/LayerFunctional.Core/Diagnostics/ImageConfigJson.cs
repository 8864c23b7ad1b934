using System.Text;
using System.Text.Json;
using LanguageExt;
using LayerFunctional.Go;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>What moby reads of an image config: <c>os</c> and <c>rootfs.diff_ids</c>, decoded as Go's encoding/json does.</summary>
internal static class ImageConfigJson
{
    /// <summary>The top ChainID of an image config (None without layers), or why moby rejects it.</summary>
    internal static Either<string, Option<ChainID>> TopChainID(byte[] bytes, MobyVersion version)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = GoDescriptorJson.MaxDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return "the image config is not a JSON object";
            // Go decodes every occurrence of a key in turn: a wrong type in any duplicate fails the config.
            var rootfsAll = Properties(doc.RootElement, "rootfs");
            if (rootfsAll.Count == 0 || rootfsAll.Exists(r => r.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)))
                return "invalid image JSON, no RootFS key";
            var rootfs = rootfsAll.Last;
            if (rootfs.ValueKind != JsonValueKind.Object) return "invalid image JSON, no RootFS key";
            foreach (var os in Properties(doc.RootElement, "os"))
            {
                if (os.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return "os is not a string";
                var name = os.ValueKind == JsonValueKind.String ? GoJsonString.Of(os) : "";
                if (version.AtLeast(18, 2) && name.Length > 0
                    && !string.Equals(name, "linux", version.AtLeast(25) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                    return $"image operating system {GoText.Quote(name)} is not supported on this host";
            }
            var diffIdsAll = Properties(rootfs, "diff_ids");
            if (diffIdsAll.Exists(d => d.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))) return "rootfs.diff_ids is not an array";
            if (diffIdsAll.IsEmpty || diffIdsAll.Last.ValueKind == JsonValueKind.Null) return Right<string, Option<ChainID>>(None);
            Option<ChainID> chain = None;
            foreach (var d in diffIdsAll.Last.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.String) return "rootfs.diff_ids holds a value that is not a string";
                var text = GoJsonString.Of(d);
                var next = DiffID.Parse(text, version).Map(diffId => ChainID.Compute(chain, diffId));
                if (next.IsLeft) return $"rootfs.diff_ids holds {GoText.Quote(text)}, which is not a digest";
                chain = next.ToOption();
            }
            return Right<string, Option<ChainID>>(chain);
        }
        catch (JsonException e)
        {
            return "the image config is not valid JSON: " + e.Message.Split(". ")[0];
        }
        catch (InvalidOperationException e)
        {
            return "the image config is not valid JSON: " + e.Message.Split(". ")[0];
        }
    }

    // Go's encoding/json matches keys without regard to case, and decodes every duplicate.
    private static Seq<JsonElement> Properties(JsonElement obj, string name)
    {
        var found = new List<JsonElement>();
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(GoJsonString.Decode(System.Text.Encoding.UTF8.GetBytes(p.Name), false), name, StringComparison.OrdinalIgnoreCase)) found.Add(p.Value);
        return found.ToSeq().Strict();
    }
}
