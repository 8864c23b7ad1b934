using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Graph;
using static LanguageExt.Prelude;

namespace LayerFunctional.Content;

/// <summary>How a layer's files differ from its tar-split and diff ID.</summary>
public enum DifferenceKind
{
    /// <summary>A file's bytes differ (its CRC-64 is not the recorded one).</summary>
    FileContent,
    /// <summary>A file's length differs from its recorded size (truncated or grown).</summary>
    FileSize,
    /// <summary>A file the tar-split lists is not in the folder.</summary>
    FileMissing,
    /// <summary>A file the tar-split lists is in the folder, but not as a regular file (a folder, a link, a device…).</summary>
    FileNotRegular,
    /// <summary>A regular file in the folder that the tar-split does not list.</summary>
    FileAdded,
    /// <summary>Every file matches, but the rebuilt stream does not hash to the diff ID (headers, or the diff ID itself).</summary>
    Stream,
    /// <summary>The stream hashes to the diff ID, but the layer's recorded <c>size</c> is not the sum of its file sizes.</summary>
    RecordedSize,
}

/// <summary>Stable names of <see cref="DifferenceKind"/> values (the JSON report's <c>difference</c>).</summary>
public static class DifferenceKinds
{
    /// <summary>The snake_case name, e.g. <c>file_content</c>.</summary>
    /// <param name="kind">A kind.</param>
    public static string Id(this DifferenceKind kind) => kind switch
    {
        DifferenceKind.FileContent => "file_content",
        DifferenceKind.FileSize => "file_size",
        DifferenceKind.FileMissing => "file_missing",
        DifferenceKind.FileNotRegular => "file_not_regular",
        DifferenceKind.FileAdded => "file_added",
        DifferenceKind.Stream => "stream",
        _ => "recorded_size",
    };
}

/// <summary>The first difference found in a layer's content.</summary>
/// <param name="Kind">What differs.</param>
/// <param name="File">The file concerned, relative to the content folder; None for the whole layer.</param>
/// <param name="Detail">One line, e.g. <c>etc/passwd: CRC-64 … on disk, the tar-split records …</c>.</param>
public sealed record ContentDifference(DifferenceKind Kind, Option<string> File, string Detail);

/// <summary>The restored images and loaded containers that use a layer: it, or a descendant, is their top layer or
/// mount parent.</summary>
/// <param name="Images">Short image IDs (12 hex characters), in image ID order.</param>
/// <param name="Containers">Container names (or the mount's first 12 characters when it has none), in mount name order.</param>
public sealed record LayerUsers(Seq<string> Images, Seq<string> Containers);

/// <summary>What content verification concluded for one layer.</summary>
public abstract record ContentVerdict
{
    private ContentVerdict() { }

    /// <summary>The tar stream rebuilt from the tar-split and the folder hashes to the diff ID, and the folder holds nothing else.</summary>
    /// <param name="TarBytes">Length of the rebuilt tar stream.</param>
    /// <param name="Files">Number of file entries of the tar-split.</param>
    public sealed record Verified(long TarBytes, long Files) : ContentVerdict;

    /// <summary>The content differs.</summary>
    /// <param name="Difference">The first difference.</param>
    public sealed record Differs(ContentDifference Difference) : ContentVerdict;

    /// <summary>The content could not be verified (no valid tar-split, no content folder, a driver without one…).</summary>
    /// <param name="Reason">Why, e.g. <c>tar-split.json.gz is missing</c>.</param>
    public sealed record NotVerified(string Reason) : ContentVerdict;
}

/// <summary>The content verification of one loaded layer.</summary>
/// <param name="ChainID">The layer.</param>
/// <param name="ContentPath">Its content folder relative to the root, e.g. <c>overlay2/&lt;cache-id&gt;/diff</c>.</param>
/// <param name="Verdict">The verdict.</param>
public sealed record LayerContent(ChainID ChainID, string ContentPath, ContentVerdict Verdict);

/// <summary>
/// Content verification's pure parts beyond single entries: which layers to verify, and the
/// <c>layer_content_mismatch</c> problems (with the images and containers that use each layer).
/// </summary>
public static class ContentChecks
{
    /// <summary>The loaded layers named by the selectors (full chain ID, its hex, or a unique hex prefix of 6 or more
    /// characters), in chain-ID order; all loaded layers when there are no selectors.</summary>
    /// <param name="store">The loaded store.</param>
    /// <param name="selectors">What <c>--content-only</c> names.</param>
    /// <returns>Left: a selector that names no loaded layer, or more than one.</returns>
    public static Either<string, Seq<Layer>> Select(LayerStore store, Seq<string> selectors)
    {
        if (selectors.IsEmpty) return store.Layers;
        var chosen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var s in selectors)
        {
            var text = s.Trim().ToLowerInvariant();
            var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
            var exact = store.Layers.Filter(l => l.ChainID.Digest.Encoded == hex && (hex == text || l.ChainID.Digest.Algorithm == "sha256"));
            var matches = !exact.IsEmpty ? exact
                : hex.Length >= 6 ? store.Layers.Filter(l => l.ChainID.Digest.Encoded.StartsWith(hex, StringComparison.Ordinal)) : Empty;
            if (matches.IsEmpty) return $"--content-only {s}: no loaded layer has this chain ID";
            if (matches.Count > 1) return $"--content-only {s}: {matches.Count} loaded layers start with it; give more characters";
            chosen.Add(matches.Head.ChainID.ToString());
        }
        return store.Layers.Filter(l => chosen.Contains(l.ChainID.ToString())).Strict();
    }

    /// <summary>The verdict for a layer that cannot be read: no valid tar-split, or a driver without content folders.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="tarSplitPresent">Whether the layer folder lists <c>tar-split.json.gz</c>.</param>
    /// <param name="tarSplit">Its state when it was read (None when it was not).</param>
    /// <returns>Some reason not to verify; None to go ahead.</returns>
    public static Option<string> Precondition(DriverName driver, bool tarSplitPresent, Option<Snapshot.TarSplitState> tarSplit)
    {
        if (!ContentRules.HasContentFolder(driver)) return $"the {driver} driver keeps no plain content folder to read offline";
        if (!tarSplitPresent) return "tar-split.json.gz is missing: the tar stream cannot be rebuilt";
        return tarSplit.Bind(state => state switch
        {
            Snapshot.TarSplitState.Invalid i => Some("tar-split.json.gz is invalid: " + i.Reason),
            Snapshot.TarSplitState.Unreadable u => Some("tar-split.json.gz cannot be read: " + u.Reason),
            _ => Option<string>.None,
        });
    }

    /// <summary>One <c>layer_content_mismatch</c> per layer whose content differs, naming the first difference and
    /// the images and containers that use the layer (their top layer or mount parent is it or a descendant).</summary>
    /// <param name="store">The loaded store.</param>
    /// <param name="results">The verdicts.</param>
    /// <param name="images">Image configs (only restored ones count).</param>
    /// <param name="containers">Container configs by mount name (for names).</param>
    public static Seq<Problem> Problems(LayerStore store, Seq<LayerContent> results, Seq<ImageInfo> images, HashMap<MountName, ContainerInfo> containers) =>
        results.Choose(r => r.Verdict is ContentVerdict.Differs d ? Some(Problem(store, r, d.Difference, images, containers)) : None).Strict();

    private static Problem Problem(LayerStore store, LayerContent r, ContentDifference d, Seq<ImageInfo> images, HashMap<MountName, ContainerInfo> containers)
    {
        var layer = store.Layers.Find(l => l.ChainID == r.ChainID);
        var cache = layer.Map(l => l.CacheID.Value);
        var path = d.File.Match(f => r.ContentPath + "/" + f, () => r.ContentPath);
        return new Problem(ProblemKind.LayerContentMismatch, d.Kind == DifferenceKind.RecordedSize ? Severity.Warning : Severity.Error, path,
            r.ChainID, None, cache, new Fact.ContentDiffers(r.ChainID, d, Users(store, r.ChainID, images, containers)));
    }

    /// <summary>Which restored images and which loaded mounts use a layer (it, or a descendant, is their top layer or parent).</summary>
    /// <param name="store">The loaded store.</param>
    /// <param name="chain">The layer.</param>
    /// <param name="images">Image configs.</param>
    /// <param name="containers">Container configs by mount name.</param>
    /// <returns>The short image IDs and container names (<see cref="Explain.Usage"/> words them).</returns>
    public static LayerUsers Users(LayerStore store, ChainID chain, Seq<ImageInfo> images, HashMap<MountName, ContainerInfo> containers)
    {
        var graph = LayerGraph.Of(store);
        var below = graph.IndexOf(chain).Map(graph.DescendantsAndSelf).IfNone(() => []);
        bool AtOrAbove(ChainID top) => graph.IndexOf(top).Exists(below.Contains);
        var usingImages = images.Filter(i => i.Loads && i.TopChainId.Exists(AtOrAbove)).Map(i => i.Id.Length > 19 ? i.Id[7..19] : i.Id).ToList();
        var usingContainers = store.Mounts.Filter(m => m.Parent.Exists(AtOrAbove))
            .Map(m => containers.Find(m.Name).Bind(c => c.Name).IfNone(m.Name.Short)).ToList();
        return new LayerUsers(usingImages.ToSeq().Strict(), usingContainers.ToSeq().Strict());
    }
}
