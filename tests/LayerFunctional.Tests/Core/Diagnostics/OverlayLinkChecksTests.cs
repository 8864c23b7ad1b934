using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>overlay2's link and lower files and its l/ short links (layer-store.md §6.6), with exact problems and clean-up items.</summary>
public class OverlayLinkChecksTests : RootChecksFixture
{
    [Fact]
    public void Overlay_link_and_lower_files_are_checked_for_referenced_folders()
    {
        var (snap, _, _, _) = DriverStore();
        var home = Home([CacheA, CacheB, MountId, MountId + "-init"],
            HashMap(
                (CacheA, new OverlayFolder(None, Some("l/AAA:l/GONE:x/AAA"u8.ToArray()))),
                (CacheB, new OverlayFolder(Some(""u8.ToArray()), Some("l/DANG"u8.ToArray()))),
                (MountId, new OverlayFolder(Some("NOPE"u8.ToArray()), Some("l/AAA"u8.ToArray()))),
                (MountId + "-init", new OverlayFolder(Some("AAA"u8.ToArray()), None)),
                ("unreferenced", new OverlayFolder(None, Some("bad"u8.ToArray())))),
            HashMap(("AAA", new OverlayShortLink("../" + MountId + "-init/diff", true)), ("DANG", new OverlayShortLink("../gone/diff", false))));
        var r = Run(snap, RootSnapshot.Empty("overlay2") with { DriverHome = home });
        const string Mounting = "layers on top of this one cannot name it in their lower list; mounting them fails";
        const string Lower = "mounting this layer (a container on it, or a build step) fails";
        var linkAndLower = r.Problems.Filter(p => p.Kind is ProblemKind.OverlayLinkFileEmpty or ProblemKind.OverlayLinkSymlinkMissing
            or ProblemKind.OverlayLowerEntryInvalid or ProblemKind.OverlaySymlinkDangling);
        Assert.Equal(Seq(
                P(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheA}/link", "the link file is missing", Mounting, cache: CacheA),
                P(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheA}/lower", "lower names \"l/GONE\", \"x/AAA\", which do not lead to a layer", Lower, cache: CacheA),
                P(ProblemKind.OverlayLinkFileEmpty, Severity.Error, $"overlay2/{CacheB}/link", "the link file is empty", Mounting, cache: CacheB),
                P(ProblemKind.OverlayLowerEntryInvalid, Severity.Error, $"overlay2/{CacheB}/lower", "lower names \"l/DANG\", which does not lead to a layer", Lower, cache: CacheB),
                P(ProblemKind.OverlayLinkSymlinkMissing, Severity.Warning, $"overlay2/{MountId}/link", "link names \"NOPE\", which is not in overlay2/l/",
                    "mounts that go through this layer fail until the short link is recreated", cache: MountId),
                P(ProblemKind.OverlaySymlinkDangling, Severity.Warning, "overlay2/l/DANG", "l/DANG points to \"../gone/diff\", which does not exist",
                    "harmless in itself, but a sign of a removal that did not finish"))
                .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq(),
            linkAndLower.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Map(Explained.Of));
        Assert.Equal(Seq1(new CleanupItem("overlay2/l/DANG", ProblemKind.OverlaySymlinkDangling, "dangling short link")), r.Cleanup);
    }
}
