using System.Text.Json;
using LanguageExt;
using LayerFunctional.Go;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// <c>image/&lt;driver&gt;/repositories.json</c>, moby's tag store (moby <c>reference/store.go</c>: <c>{"Repositories":
/// {"&lt;name&gt;": {"&lt;name&gt;:&lt;tag&gt;" or "&lt;name&gt;@&lt;digest&gt;": "sha256:&lt;image ID&gt;"}}}</c>): the names
/// an image is known by, which is what <c>docker pull</c> needs to fetch it again. The layer store's load never reads it
/// (layer-store.md §1); the repair plan names quarantined images by it.
/// </summary>
public static class RepositoriesJson
{
    /// <summary>The references of each image.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>Right: image ID (<c>sha256:&lt;hex&gt;</c>, as written) → its references, sorted (ordinal), tags before digests;
    /// Left: why the file is not a tag store (not JSON, not an object, <c>Repositories</c> not an object of objects of
    /// strings).</returns>
    public static Either<string, HashMap<string, Seq<string>>> Parse(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = GoDescriptorJson.MaxDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return "repositories.json is not a JSON object";
            if (!doc.RootElement.TryGetProperty("Repositories", out var repositories) || repositories.ValueKind == JsonValueKind.Null)
                return Right<string, HashMap<string, Seq<string>>>(default);
            if (repositories.ValueKind != JsonValueKind.Object) return "Repositories is not an object";
            var byImage = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var repository in repositories.EnumerateObject())
            {
                if (repository.Value.ValueKind == JsonValueKind.Null) continue;
                if (repository.Value.ValueKind != JsonValueKind.Object) return $"repository {GoText.Quote(repository.Name)} is not an object";
                foreach (var reference in repository.Value.EnumerateObject())
                {
                    if (reference.Value.ValueKind != JsonValueKind.String) return $"reference {GoText.Quote(reference.Name)} does not name an image ID";
                    var image = GoJsonString.Of(reference.Value);
                    if (!byImage.TryGetValue(image, out var names)) byImage[image] = names = [];
                    names.Add(reference.Name);
                }
            }
            return toHashMap(byImage.Select(kv => (kv.Key, kv.Value.Distinct(StringComparer.Ordinal)
                .OrderBy(n => n.Contains('@'))
                .ThenBy(n => n, StringComparer.Ordinal).ToSeq().Strict())));
        }
        catch (JsonException e)
        {
            return "repositories.json is not JSON: " + e.Message;
        }
    }

    /// <summary>The references to pull an image by: its tags, or its digest references when it has no tag; empty for an
    /// image no name refers to (only its ID is known, and an ID cannot be pulled).</summary>
    /// <param name="references">The image's references from <see cref="Parse"/>.</param>
    public static Seq<string> Pullable(Seq<string> references)
    {
        var tags = references.Filter(r => !r.Contains('@'));
        return tags.IsEmpty ? references : tags;
    }
}
