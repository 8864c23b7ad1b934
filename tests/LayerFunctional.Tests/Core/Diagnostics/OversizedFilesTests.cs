using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>Layer and mount files over <see cref="MetadataLimits.Usual"/> are one warning each, by path.</summary>
public class OversizedFilesTests : RootChecksFixture
{
    private static RawFile Bytes(int n) => new RawFile.Content(new byte[n]);

    [Fact]
    public void Each_oversized_layer_and_mount_file_is_one_warning_sorted_by_path_and_the_usual_size_is_not_oversized()
    {
        var (a, af) = Base("a", CacheA, ("descriptor.json", Bytes(MetadataLimits.Usual + 1)), ("tar-split.json.gz", Bytes(MetadataLimits.Usual)));
        var snap = SnapshotBuilder.Empty.WithLayer(a.ToString(), af)
            .WithMount("m", Map(("mount-id", T(MountId)), ("parent", T(a.ToString())), ("init-id", Bytes(MetadataLimits.Usual + 7))))
            .WithMount("k", Map(("mount-id", Bytes(MetadataLimits.Usual)), ("parent", T(a.ToString()))))
            .Build();
        var problems = OversizedFiles.Check(snap);
        Assert.Equal(Seq(
            Found(ProblemKind.FileTooLarge, Severity.Warning, $"{Db}/mounts/m/init-id", new Fact.OversizedFile(MetadataLimits.Usual + 7), mount: "m"),
            Found(ProblemKind.FileTooLarge, Severity.Warning, $"{Db}/sha256/{a.Digest.Encoded}/descriptor.json",
                new Fact.OversizedFile(MetadataLimits.Usual + 1), chain: a)), problems);
    }

    [Fact]
    public void A_layerdb_without_large_files_has_none()
    {
        var (a, af) = Base("a", CacheA);
        Assert.Empty(OversizedFiles.Check(SnapshotBuilder.Empty.WithLayer(a.ToString(), af).Build()));
    }
}
