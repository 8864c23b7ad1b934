using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary><see cref="RootChecks.Run(MobyVersion, DriverName, LayerDbRead, LoadResult, RootSnapshot)"/> itself: it calls
/// every family of checks, and lists the layer folders that did not load. The families are specified in their own tests.</summary>
public class RootChecksTests : RootChecksFixture
{
    [Fact]
    public void The_oversized_files_family_is_part_of_the_run()
    {
        var (a, af) = Base("a", CacheA, ("descriptor.json", new RawFile.Content(new byte[MetadataLimits.Usual + 1])));
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af).Build();
        var found = Run(snap, RootSnapshot.Empty("overlay2")).Problems.Filter(p => p.Kind == ProblemKind.FileTooLarge);
        Assert.Equal(Seq1(Found(ProblemKind.FileTooLarge, Severity.Warning, $"{Db}/sha256/{a.Digest.Encoded}/descriptor.json",
            new Fact.OversizedFile(MetadataLimits.Usual + 1), chain: a)), found);
    }

    [Fact]
    public void The_layer_folders_that_did_not_load_are_listed_in_chain_ID_order_with_their_parent_and_cache_ID()
    {
        // a loads; b has a bad size; c sits on b.
        var s = Build();
        var b = new UnloadedLayer(s.B, None, Some(CacheOf("b")));
        var c = new UnloadedLayer(s.C, Some(s.B), Some(CacheOf("c")));
        var expected = string.CompareOrdinal(s.B.Digest.Encoded, s.C.Digest.Encoded) < 0 ? Seq(b, c) : Seq(c, b);
        Assert.Equal(expected, Run(s.Snap, RootSnapshot.Empty("overlay2")).Unloaded);
    }

    [Fact]
    public void No_checks_made_is_empty_and_refuses_nothing()
    {
        var none = RootCheckResult.None;
        Assert.False(none.DaemonRefuses);
        Assert.Empty(none.Problems);
        Assert.Empty(none.Images);
        Assert.Empty(none.Cleanup);
        Assert.Empty(none.Unloaded);
    }
}
