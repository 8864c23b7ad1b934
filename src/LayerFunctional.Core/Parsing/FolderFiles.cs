using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Parsing;

/// <summary>Access to the raw files of one folder, with moby's distinction between a missing file
/// and one that cannot be read (§2.2: only "not found" is ever tolerated).</summary>
internal static class FolderFiles
{
    /// <summary>Right(None) when absent; Right(Some(bytes)) when read; Left when present but unreadable.</summary>
    public static Either<LayerError, Option<byte[]>> Optional(RawDirectory.Present dir, string folderPath, string name) =>
        dir.Files.Find(name).Match(
            None: () => Right<LayerError, Option<byte[]>>(None),
            Some: f => f switch
            {
                RawFile.Content c => Right<LayerError, Option<byte[]>>(Some(c.Bytes)),
                RawFile.NotRegular n => Left<LayerError, Option<byte[]>>(
                    new LayerError.FileUnreadable(folderPath + "/" + name, ProblemKind.NotARegularFile, $"it is a {n.Type}")),
                RawFile.TooLarge t => Left<LayerError, Option<byte[]>>(
                    new LayerError.FileUnreadable(folderPath + "/" + name, ProblemKind.FileTooLarge, $"{t.Length} bytes, over the {MetadataLimits.ReadLimit / (1024 * 1024)} MiB read limit")),
                RawFile.OutsideRoot o => Left<LayerError, Option<byte[]>>(
                    new LayerError.FileUnreadable(folderPath + "/" + name, ProblemKind.SymlinkOutsideRoot, $"symbolic link to {o.Target}, outside the docker root (not followed)")),
                RawFile.Unreadable u => Left<LayerError, Option<byte[]>>(
                    new LayerError.FileUnreadable(folderPath + "/" + name, ProblemKind.EntryUnreadable, u.Reason)),
                _ => Left<LayerError, Option<byte[]>>(
                    new LayerError.FileUnreadable(folderPath + "/" + name, ProblemKind.EntryUnreadable, "not read")),
            });

    /// <summary>Like <see cref="Optional"/>, but an absent file is <paramref name="missing"/>.</summary>
    public static Either<LayerError, byte[]> Required(RawDirectory.Present dir, string folderPath, string name, ProblemKind missing) =>
        Optional(dir, folderPath, name).Bind(o => o.Match(
            Some: b => Right<LayerError, byte[]>(b),
            None: () => Left<LayerError, byte[]>(new LayerError.FileMissing(folderPath + "/" + name, missing))));

    /// <summary>Go's TrimSpace, then the bytes as a string (invalid UTF-8 becomes U+FFFD; no valid
    /// identifier contains it, so validation is unaffected).</summary>
    public static string Trimmed(byte[] bytes) => Encoding.UTF8.GetString(GoText.TrimSpace(bytes));

    /// <summary>Wraps a parse failure with the quoted bytes.</summary>
    public static LayerError Malformed(string path, ProblemKind kind, byte[] bytes, string reason) =>
        new LayerError.Malformed(path, kind, GoText.Quote(bytes), reason);
}
