using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Tests.Support.ParserInputs;

namespace LayerFunctional.Tests.Core.Parsing;

/// <summary>Mount folders (layer-store.md §2.2, §7.1): exact parsed records and exact errors, in moby's order.</summary>
public class MountFolderParserTests
{
    private const string MountFolder = "image/overlay2/layerdb/mounts/m";

    private static Either<LayerError, MountFolder> Mount(params (string Name, RawFile File)[] files) =>
        MountFolderParser.Parse("m", MountFolder, Dir(files), V29);

    private static LayerError MountError(params (string Name, RawFile File)[] files) =>
        Mount(files).Match(Left: e => e, Right: m => throw new Xunit.Sdk.XunitException("parsed: " + m));

    [Fact]
    public void A_mount_folder_parses_every_file()
    {
        var m = Mount(("mount-id", T(Other + "\n")), ("init-id", T(" " + Hex + "-init")), ("parent", T("sha256:" + Hex))).IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal(("m", Other, Some(Hex + "-init"), Some(Chain)), (m.Name, m.MountID.Value, m.InitID.Map(i => i.Value), m.Parent));
        var bare = Mount(("mount-id", T(Other))).IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal((Option<string>.None, Option<ChainID>.None), (bare.InitID.Map(i => i.Value), bare.Parent));
    }

    [Fact]
    public void A_mount_folder_shares_its_IDs_with_the_driver_home_and_its_parent_with_the_listed_chain_ID()
    {
        var home = new[] { new string(Other.ToCharArray()), new string((Hex + "-init").ToCharArray()) };
        var listed = ChainID.Parse("sha256:" + Hex, V29).IfLeft(_ => throw new InvalidOperationException());
        var ids = new SharedIds([listed], home);
        var m = MountFolderParser.Parse("m", MountFolder, Dir(("mount-id", T(Other + "\n")), ("init-id", T(Hex + "-init")), ("parent", T("sha256:" + Hex))), V29, ids)
            .IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Same(home[0], m.MountID.Value);
        Assert.Same(home[1], m.InitID.Map(i => i.Value).IfNone(""));
        Assert.Same(listed, m.Parent.IfNone(() => throw new InvalidOperationException()));
    }

    [Fact]
    public void Mount_errors_are_exact_and_in_order()
    {
        Assert.Equal(new LayerError.FileMissing(MountFolder + "/mount-id", ProblemKind.MountIdMissing), MountError(("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/mount-id", ProblemKind.MountIdInvalid, "\"x\"", "invalid mount id value"),
            MountError(("mount-id", T("x")), ("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/init-id", ProblemKind.InitIdInvalid, "\"x\"", "invalid init id value"),
            MountError(("mount-id", T(Other)), ("init-id", T("x")), ("parent", T("x"))));
        Assert.Equal(new LayerError.Malformed(MountFolder + "/parent", ProblemKind.MountParentInvalid, "\"x\"", "invalid checksum digest format"),
            MountError(("mount-id", T(Other)), ("parent", T("x"))));
        Assert.Equal(new LayerError.FileUnreadable(MountFolder + "/init-id", ProblemKind.NotARegularFile, "it is a directory"),
            MountError(("mount-id", T(Other)), ("init-id", new RawFile.NotRegular("directory"))));
        Assert.Equal(new LayerError.FileUnreadable(MountFolder + "/parent", ProblemKind.EntryUnreadable, "EIO"),
            MountError(("mount-id", T(Other)), ("parent", new RawFile.Unreadable("EIO"))));
    }

    [Fact]
    public void Mount_files_are_trimmed_and_empty_init_id_fails()
    {
        var id = new string('a', 64);
        const string folder = "image/overlay2/layerdb/mounts/m";
        var ok = MountFolderParser.Parse("m", folder, TextDir(("mount-id", id + "\n"), ("init-id", "b" + new string('b', 63))), V29);
        Assert.Equal(Right<LayerError, string>(id), ok.Map(m => m.MountID.Value));
        var emptyInit = MountFolderParser.Parse("m", folder, TextDir(("mount-id", id), ("init-id", "")), V29);
        Assert.Equal(Left<LayerError, string>(new LayerError.Malformed(folder + "/init-id", ProblemKind.InitIdInvalid, "\"\"", "invalid init id value")),
            emptyInit.Map(m => m.Name));
        var noMountId = MountFolderParser.Parse("m", folder, TextDir(("parent", "sha256:" + Hex)), V29);
        Assert.Equal("mount_id_missing", noMountId.Match(Left: e => e.Kind.Id(), Right: _ => ""));
        var emptyParent = MountFolderParser.Parse("m", folder, TextDir(("mount-id", id), ("parent", "")), V29);
        Assert.Equal("mount_parent_invalid", emptyParent.Match(Left: e => e.Kind.Id(), Right: _ => ""));
    }
}
