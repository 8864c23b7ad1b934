using System.Formats.Tar;
using System.IO.Compression;

namespace LayerFunctional.Tests.Support;

/// <summary>
/// Finds <c>../shared</c> (real acquisitions and bug-report cases) beside the repository, or the folder
/// named by <c>LAYERFN_SHARED</c>. A fresh clone does not have it: tests that need it are skipped with
/// a message saying so.
/// </summary>
public static class SharedData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string? Folder { get; } = Find();

    public const string SkipMessage =
        "needs ../shared (fixtures and cases beside the repository; set LAYERFN_SHARED to point elsewhere): not present in this clone";

    public static string Cases => Path.Combine(Folder ?? throw new InvalidOperationException(SkipMessage), "cases");

    public static string Fixtures => Path.Combine(Folder ?? throw new InvalidOperationException(SkipMessage), "fixtures");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LayerFunctional.sln"))) return dir.FullName;
        throw new InvalidOperationException("LayerFunctional.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("LAYERFN_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "cases"))) return env;
        var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        return Directory.Exists(Path.Combine(beside, "cases")) ? beside : null;
    }

    /// <summary>
    /// Unpacks a .tar.gz entry by entry into a new temporary folder (TarFile.ExtractToDirectory rejects
    /// the fixtures' absolute symlinks). Symbolic links are recreated as they are; hard links become copies.
    /// </summary>
    public static TempDir Unpack(string archive)
    {
        var target = new TempDir();
        using var file = File.OpenRead(archive);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        var dirModes = new List<(string, UnixFileMode)>();
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.TrimStart('/');
            if (name.Length == 0 || name.Split('/').Contains("..")) continue;
            var path = Path.Combine(target.Path, name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    dirModes.Add((path, entry.Mode));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    entry.ExtractToFile(path, overwrite: true);
                    break;
                case TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Copy(Path.Combine(target.Path, entry.LinkName.TrimStart('/')), path, overwrite: true);
                    break;
            }
        }
        // Owner-readable whatever the archive says (tests run as root or as a user).
        if (OperatingSystem.IsWindows()) return target;
        foreach (var (dir, mode) in dirModes)
            File.SetUnixFileMode(dir, mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return target;
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    /// <summary>Under /dev/shm when it exists (memory-backed: large generated roots write fast), else the temp folder.</summary>
    public string Path { get; } = System.IO.Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath(), "layerfn-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A [Fact] that is skipped, with a message, when ../shared is not beside the repository.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (SharedData.Folder is null) Skip = SharedData.SkipMessage;
    }
}

/// <summary>A [Theory] that is skipped, with a message, when ../shared is not beside the repository.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (SharedData.Folder is null) Skip = SharedData.SkipMessage;
    }
}
