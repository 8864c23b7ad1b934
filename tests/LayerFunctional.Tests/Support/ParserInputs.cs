using System.Text;
using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Support;

/// <summary>What the layer- and mount-folder parser tests build folders from: two IDs, the default release, and raw files.</summary>
public static class ParserInputs
{
    public const string Hex = "589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3";
    public const string Other = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public static readonly MobyVersion V29 = MobyVersion.Default;
    public static readonly ChainID Chain = ChainID.Parse("sha256:" + Hex, V29).IfLeft(e => throw new ArgumentException(e));

    public static RawFile T(string s) => SnapshotBuilder.Text(s);

    /// <summary>A folder holding the given files.</summary>
    public static RawDirectory.Present Dir(params (string Name, RawFile File)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files));

    /// <summary>A folder holding regular files with the given text.</summary>
    public static RawDirectory.Present TextDir(params (string Name, string Content)[] files) =>
        new(files.Select(f => f.Name).ToSeq(), toHashMap(files.Select(f => (f.Name, (RawFile)new RawFile.Content(Encoding.UTF8.GetBytes(f.Content))))));
}
