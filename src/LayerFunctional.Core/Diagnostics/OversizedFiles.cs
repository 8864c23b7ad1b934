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
    public static Seq<Problem> Check(LayerDbSnapshot layerDb)
    {
        IEnumerable<Problem> In(IEnumerable<(string Folder, Option<string> Chain, Option<string> Mount, RawDirectory Dir)> dirs) =>
            from dir in dirs
            where dir.Dir is RawDirectory.Present
            from file in ((RawDirectory.Present)dir.Dir).Files
            where file.Value is RawFile.Content { Bytes.Length: > MetadataLimits.Usual }
            select new Problem(ProblemKind.FileTooLarge, Severity.Warning, $"{layerDb.RelativePath}/{dir.Folder}/{file.Key}",
                dir.Chain, dir.Mount, None,
                $"{((RawFile.Content)file.Value).Bytes.Length} bytes, where moby writes at most a few hundred",
                "moby reads the whole file and judges its content like any other; a tool with a smaller read limit may not");
        return In(layerDb.LayerDirs.AsEnumerable().Select(kv => (kv.Key.Digest.FolderKey, Some(kv.Key.ToString()), Option<string>.None, kv.Value)))
            .Concat(In(layerDb.MountDirs.AsEnumerable().Select(kv => ("mounts/" + kv.Key, Option<string>.None, Some(kv.Key), kv.Value))))
            .OrderBy(p => p.Path, StringComparer.Ordinal).ToSeq().Strict();
    }
}
