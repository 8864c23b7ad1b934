using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Diagnostics;

/// <summary>
/// Layer and mount files far larger than moby writes (over <see cref="MetadataLimits.Usual"/>, up to
/// <see cref="MetadataLimits.ReadLimit"/>): moby's getters read them whole (<c>os.ReadFile</c> in
/// layer/filestore.go) and judge the content like any other, so they load or fail on their content; this family only
/// says they are odd (<c>file_too_large</c>, warning). Files over the read limit are not read and fail their layer or
/// mount in the load itself. Pure.
/// </summary>
public static class OversizedFiles
{
    /// <summary>One warning per oversized file of the layer and mount folders, by path.</summary>
    /// <param name="layerDb">The layerdb snapshot.</param>
    public static Seq<Problem> Check(LayerDbSnapshot layerDb) => Check(LayerDbRead.Of(layerDb, MobyVersion.Default));

    /// <summary>One warning per oversized file of the layer and mount folders, by path.</summary>
    /// <param name="layerDb">The layerdb parsed as it was read.</param>
    public static Seq<Problem> Check(LayerDbRead layerDb)
    {
        Problem Oversized(string path, Option<ChainID> chain, Option<MountName> mount, int length) =>
            new(ProblemKind.FileTooLarge, Severity.Warning, path, chain, mount, None, new Fact.OversizedFile(length));
        var found = new List<Problem>();
        foreach (var (chain, layer) in layerDb.Layers)
            foreach (var (name, length) in layer.Oversized)
                found.Add(Oversized($"{layerDb.FolderOf(chain)}/{name}", Some(chain), None, length));
        foreach (var (mount, read) in layerDb.MountFolders)
            foreach (var (name, length) in read.Oversized)
                found.Add(Oversized($"{layerDb.RelativePath}/mounts/{mount}/{name}", None, Some(new MountName(mount)), length));
        return found.OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Strict();
    }
}
