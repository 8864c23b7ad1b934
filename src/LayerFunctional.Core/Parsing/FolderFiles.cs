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
    public static Either<LayerError, Option<byte[]>> Optional(RawDirectory.Present dir, string folderPath, string name)
    {
        if (!dir.Files.Find(name).TrySome(out var file)) return Option<byte[]>.None;
        if (file is RawFile.Content c) return Some(c.Bytes);
        var path = folderPath + "/" + name;
        return file switch
        {
            RawFile.NotRegular n => new LayerError.FileUnreadable(path, ProblemKind.NotARegularFile, $"it is a {n.Type}"),
            RawFile.TooLarge t => new LayerError.FileUnreadable(path, ProblemKind.FileTooLarge, $"{t.Length} bytes, over the {MetadataLimits.ReadLimit / (1024 * 1024)} MiB read limit"),
            RawFile.OutsideRoot o => new LayerError.FileUnreadable(path, ProblemKind.SymlinkOutsideRoot, $"symbolic link to {o.Target}, outside the docker root (not followed)"),
            RawFile.Unreadable u => new LayerError.FileUnreadable(path, ProblemKind.EntryUnreadable, u.Reason),
            _ => new LayerError.FileUnreadable(path, ProblemKind.EntryUnreadable, "not read"),
        };
    }

    public static Either<LayerError, byte[]> Required(RawDirectory.Present dir, string folderPath, string name, ProblemKind missing)
    {
        if (!Optional(dir, folderPath, name).TryRight(out var file, out var unread)) return unread;
        if (file.TrySome(out var bytes)) return bytes;
        return new LayerError.FileMissing(folderPath + "/" + name, missing);
    }

    public static string Trimmed(byte[] bytes) => Encoding.UTF8.GetString(GoText.TrimSpace(bytes));

    /// <summary>Wraps a parse failure with the quoted bytes.</summary>
    public static LayerError Malformed(string path, ProblemKind kind, byte[] bytes, string reason) =>
        new LayerError.Malformed(path, kind, GoText.Quote(bytes), reason);
}
