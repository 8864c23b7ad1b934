using System.Security.Cryptography;
using LayerFunctional.Edge;

namespace LayerFunctional.Tests.Support;

/// <summary>Every entry under a root with its type, attributes, mtime and content hash (regular files)
/// or link target: equal before and after a check means the check changed nothing.</summary>
public static class RootState
{
    public static string Of(string root) => string.Join("\n",
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName} {f.Attributes} {(f is FileInfo sized && f.LinkTarget is null ? sized.Length : 0)} {f.LastWriteTimeUtc.Ticks} {(OperatingSystem.IsWindows() ? "" : f.UnixFileMode.ToString())} " +
                         $"{(f is FileInfo fi && f.LinkTarget is null && FileTypes.OfLink(fi.FullName) == FileType.Regular ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(fi.FullName))) : f.LinkTarget)}"));
}
