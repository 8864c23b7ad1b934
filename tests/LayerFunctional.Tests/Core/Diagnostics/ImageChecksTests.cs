using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Image restore, by ChainID only (layer-store.md §4.7): which images load, their references to layers, and the exact
/// problems of those that do not.</summary>
public class ImageChecksTests : RootChecksFixture
{
    [Fact]
    public void Images_load_when_their_top_layer_loads()
    {
        var s = Build();
        var ok = Image(s.DA);
        var onC = Image(s.DA, s.DC);
        var onB = Image(s.DB);
        var none = Image();
        var garbage = new ImageConfigFile(Digest.Sha256Of("["u8).Encoded, new RawFile.Content("["u8.ToArray()));
        var wrongHash = new ImageConfigFile(new string('e', 64), T("{}"));
        var unreadable = new ImageConfigFile(new string('d', 64), new RawFile.Unreadable("EACCES"));
        var badName = new ImageConfigFile("not-a-digest", T("{}"));
        var root = RootSnapshot.Empty("overlay2") with { ImageConfigs = Some(Seq(ok, onC, onB, none, garbage, wrongHash, unreadable, badName)) };
        var load = LayerStoreLoad.Load(s.Snap, V29);
        var r = RootChecks.Run(V29, "overlay2", s.Snap, load, root);

        var topC = ChainID.Compute(Some(ChainID.Compute(None, s.DA)), s.DC);
        var expectedImages = new[]
        {
            new ImageInfo("sha256:" + ok.Name, Some(s.A), true), new ImageInfo("sha256:" + onC.Name, Some(topC), false),
            new ImageInfo("sha256:" + onB.Name, Some(s.B), false), new ImageInfo("sha256:" + none.Name, None, true),
            new ImageInfo("sha256:" + garbage.Name, None, false), new ImageInfo("sha256:" + wrongHash.Name, None, false),
            new ImageInfo("sha256:" + unreadable.Name, None, false),
        }.OrderBy(i => i.Id, StringComparer.Ordinal).ToSeq();
        Assert.Equal(expectedImages, r.Images);
        Assert.Equal(HashMap((s.A, 1)), r.ImageRefs);
        Assert.False(r.DaemonRefuses);

        Problem Invalid(ImageConfigFile f, string error) => new(ProblemKind.ImageConfigInvalid, Severity.Error, ImageDb + f.Name, None, None, None,
            new Fact.ImageConfigInvalid(f.Name, error));
        Problem Missing(ImageConfigFile f, ChainID top) => new(ProblemKind.ImageLayerMissing, Severity.Error, ImageDb + f.Name, Some(top), None, None,
            new Fact.ImageTopLayerMissing(f.Name, Some(top), StopsDaemon: false));
        var expected = new[]
        {
            Invalid(garbage, "the image config is not valid JSON: Expected depth to be zero at the end of the JSON payload"),
            Invalid(wrongHash, "the content does not hash to the file name (moby: failed to verify)"),
            Invalid(unreadable, "the image config cannot be read"),
            Missing(onC, topC), Missing(onB, s.B),
        }.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq();
        Assert.Equal(expected, r.Problems.Filter(p => p.Kind is ProblemKind.ImageConfigInvalid or ProblemKind.ImageLayerMissing).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq());

        // Before 18.03 a missing top layer stops the daemon.
        var old = RootChecks.Run(V("18.02"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.02")), root);
        Assert.True(old.DaemonRefuses);
        Assert.Equal(Seq(true, true),
            old.Problems.Filter(p => p.Kind == ProblemKind.ImageLayerMissing).Map(p => p.Fact is Fact.ImageTopLayerMissing { StopsDaemon: true }));
        Assert.False(RootChecks.Run(V("18.03"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.03")), root).DaemonRefuses);
        var onlyLoading = root with { ImageConfigs = Some(Seq(ok, none)) };
        Assert.False(RootChecks.Run(V("18.02"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("18.02")), onlyLoading).DaemonRefuses);
        Assert.Equal(HashMap((s.A, 2)), RootChecks.Run(V29, "overlay2", s.Snap, load, root with { ImageConfigs = Some(Seq(ok, none, Image(s.DA) with { Name = ok.Name })) }).ImageRefs);
    }
}
