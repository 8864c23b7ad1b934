using LanguageExt;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>Image restore, by ChainID only (layer-store.md §4.7).</summary>
internal static class ImageChecks
{
    // §4.7: image restore, by ChainID only.
    internal static (Seq<ImageInfo>, IEnumerable<Problem>, bool) Check(MobyVersion version, LayerDbRead layerDb, LayerStore store, RootSnapshot root)
    {
        // No image store read: nothing is checked (the loop below then sees no files).
        var configs = root.ImageConfigs.IfNone(Seq<ImageConfigFile>());
        var imageDb = layerDb.RelativePath[..^"layerdb".Length] + "imagedb/content/sha256";
        // By value: chain IDs equal exactly when their texts do (Digest), and no text is made for 100,000 layers.
        var loaded = new System.Collections.Generic.HashSet<ChainID>(store.Layers.Count);
        foreach (var layer in store.Layers) loaded.Add(layer.ChainID);
        var images = new List<ImageInfo>();
        var problems = new List<Problem>();
        var refuses = false;
        foreach (var file in configs.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (Digest.Parse("sha256:" + file.Name, MobyVersion.Default).IsLeft) continue;   // moby skips bad names (debug log)
            var id = "sha256:" + file.Name;
            var path = imageDb + "/" + file.Name;
            Problem Invalid(string error) => new(ProblemKind.ImageConfigInvalid, Severity.Error, path, None, None, None,
                new Fact.ImageConfigInvalid(file.Name, error));
            var verdict = file.Content is RawFile.Content content
                ? Digest.Sha256Of(content.Bytes).Encoded != file.Name
                    ? Left<string, Option<ChainID>>("the content does not hash to the file name (moby: failed to verify)")
                    : ImageConfigJson.TopChainID(content.Bytes, version)
                : Left<string, Option<ChainID>>("the image config cannot be read");
            verdict.Match(
                Left: error =>
                {
                    problems.Add(Invalid(error));
                    images.Add(new ImageInfo(id, None, false));
                },
                Right: top =>
                {
                    var loads = top.Map(loaded.Contains).IfNone(true);
                    images.Add(new ImageInfo(id, top, loads));
                    if (loads) return;
                    refuses |= version.MissingImageLayerIsFatal;
                    problems.Add(new Problem(ProblemKind.ImageLayerMissing, Severity.Error, path, top, None, None,
                        new Fact.ImageTopLayerMissing(file.Name, top, version.MissingImageLayerIsFatal)));
                });
        }
        return (images.ToSeq().Strict(), problems, refuses);
    }
}
