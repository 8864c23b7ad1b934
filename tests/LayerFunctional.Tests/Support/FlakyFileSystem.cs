using LayerFunctional.Edge;

namespace LayerFunctional.Tests.Support;

/// <summary>A file system that fails where told: an I/O error when one path is opened or listed, and names
/// that a listing returns but that have vanished by the time they are examined (a daemon at work).</summary>
public sealed class FlakyFileSystem(IRootFileSystem inner, Func<string, bool> ioErrorAt, Func<string, IEnumerable<string>> vanishedIn) : IRootFileSystem
{
    public FileType OfLink(string fullPath) => inner.OfLink(fullPath);
    public FileType OfTarget(string fullPath) => inner.OfTarget(fullPath);
    public LanguageExt.Option<string> RealPath(string fullPath) => inner.RealPath(fullPath);

    public IEnumerable<string> List(string fullPath) =>
        ioErrorAt(fullPath) ? throw new IOException("Input/output error") : inner.List(fullPath).Concat(vanishedIn(fullPath)).ToList();

    public Stream OpenRead(string fullPath) => ioErrorAt(fullPath) ? throw new IOException("Input/output error") : inner.OpenRead(fullPath);
    public LanguageExt.Option<string> LinkTarget(string fullPath) => inner.LinkTarget(fullPath);
    public LanguageExt.Option<FileIdentity> Identity(string fullPath) => inner.Identity(fullPath);
    public void Dispose() => inner.Dispose();
}
