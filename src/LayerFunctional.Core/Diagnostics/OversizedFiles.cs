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
        Problem Oversized(string path, Option<string> chain, Option<string> mount, int length) =>
            new(ProblemKind.FileTooLarge, Severity.Warning, path, chain, mount, None,
                $"{length} bytes, where moby writes at most a few hundred",
                "moby reads the whole file and judges its content like any other; a tool with a smaller read limit may not");
        var layers =
            from layer in layerDb.Layers
            from file in layer.Value.Oversized
            select Oversized($"{layerDb.FolderOf(layer.Key)}/{file.Name}", Some(layer.Key.ToString()), None, file.Length);
        var mounts =
            from dir in layerDb.MountDirs
            where dir.Value is RawDirectory.Present
            from file in ((RawDirectory.Present)dir.Value).Files
            where file.Value is RawFile.Content { Bytes.Length: > MetadataLimits.Usual }
            select Oversized($"{layerDb.RelativePath}/mounts/{dir.Key}/{file.Key}", None, Some(dir.Key), ((RawFile.Content)file.Value).Bytes.Length);
        return layers.Concat(mounts).OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Strict();
    }
}
