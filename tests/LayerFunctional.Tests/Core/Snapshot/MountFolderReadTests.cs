using LanguageExt;
using LayerFunctional.Parsing;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;
using static LayerFunctional.Tests.Support.ParserInputs;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>Parse as you read, for mount folders: a folder becomes a <see cref="MountFolderRead"/> holding moby's parse and the
/// raw facts the checks need, not its bytes.</summary>
public class MountFolderReadTests
{
    private const string Folder = "image/overlay2/layerdb/mounts/m";

    [Fact]
    public void A_folder_that_parses_keeps_its_parse_and_its_IDs_as_text()
    {
        var read = MountFolderRead.Of("m", Folder, Dir(("mount-id", T(Other + "\n")), ("init-id", T(Hex + "-init")), ("parent", T("sha256:" + Hex))), V29);
        var mount = read.Parsed.IfLeft(e => throw new Xunit.Sdk.XunitException(Explain.Message(e)));
        Assert.Equal(new MountFolder("m", mount.MountID, mount.InitID, Some(Chain)), mount);
        Assert.True(read.IsPresent);
        Assert.Equal((Some(Other), Some(Hex + "-init"), Some(Chain)), (read.MountIdText, read.InitIdText, read.ParentLink));
        Assert.Same(mount.MountID.Value, read.MountIdText.IfNone(""));
        Assert.True(read.UnreadIdFiles.IsEmpty);
        Assert.True(read.Oversized.IsEmpty);
        Assert.True(read.NamesAFolder);
    }

    [Fact]
    public void A_folder_that_fails_still_gives_its_ID_texts_parent_link_unread_files_and_oversized_files()
    {
        var big = " " + new string('x', MetadataLimits.Usual + 1) + "\n";
        var read = MountFolderRead.Of("m", Folder,
            Dir(("mount-id", T(big)), ("init-id", new RawFile.Unreadable("EIO")), ("parent", T(" sha256:" + Hex + "\n"))), V29);
        Assert.Equal(ProblemKind.MountIdInvalid, read.Parsed.Match(Left: e => e.Kind, Right: _ => default));
        Assert.Equal(Folder + "/mount-id", read.Parsed.Match(Left: e => e.Path, Right: _ => ""));
        Assert.True(read.IsPresent);
        Assert.Equal(Some(big.Trim()), read.MountIdText);
        Assert.Equal(Option<string>.None, read.InitIdText);
        Assert.Equal(Some(Chain), read.ParentLink);
        Assert.Equal(Seq1("init-id"), read.UnreadIdFiles);
        Assert.Equal(Seq1(("mount-id", big.Length)), read.Oversized);
        Assert.False(read.NamesAFolder);
        // Both ID files unreadable: both named, in loadMount's order.
        var neither = MountFolderRead.Of("m", Folder, Dir(("mount-id", new RawFile.NotRegular("directory")), ("init-id", new RawFile.Unreadable("EIO"))), V29);
        Assert.Equal(Seq("mount-id", "init-id"), neither.UnreadIdFiles);
        Assert.Equal(ProblemKind.NotARegularFile, neither.Parsed.Match(Left: e => e.Kind, Right: _ => default));
    }

    [Fact]
    public void An_invalid_mount_id_beside_a_valid_init_id_still_names_a_folder()
    {
        var read = MountFolderRead.Of("m", Folder, TextDir(("mount-id", "x"), ("init-id", " " + Hex + "-init\n"), ("parent", "nonsense")), V29);
        Assert.Equal(ProblemKind.MountIdInvalid, read.Parsed.Match(Left: e => e.Kind, Right: _ => default));
        Assert.Equal((Some("x"), Some(Hex + "-init"), Option<ChainID>.None), (read.MountIdText, read.InitIdText, read.ParentLink));
        Assert.True(read.NamesAFolder);
        // Blank files give no text.
        var blank = MountFolderRead.Of("m", Folder, TextDir(("mount-id", " \n"), ("init-id", "")), V29);
        Assert.Equal((Option<string>.None, Option<string>.None), (blank.MountIdText, blank.InitIdText));
    }

    [Fact]
    public void A_folder_not_read_fails_as_loadMount_does_on_it()
    {
        var locked = MountFolderRead.Of("m", Folder, new RawDirectory.Unreadable("permission denied"), V29);
        Assert.Equal(Left<LayerError, MountFolder>(new LayerError.FileUnreadable(Folder, ProblemKind.EntryUnreadable, "permission denied")), locked.Parsed);
        Assert.False(locked.IsPresent);
        Assert.Equal(MountFolderRead.NotRead(Folder, "vanished while reading"), MountFolderRead.Of("m", Folder, new RawDirectory.Missing(), V29));
        Assert.Equal(Left<LayerError, MountFolder>(new LayerError.FileUnreadable(Folder, ProblemKind.EntryUnreadable, "vanished while reading")),
            MountFolderRead.Of("m", Folder, new RawDirectory.OutsideRoot("/etc"), V29).Parsed);
        Assert.False(locked.NamesAFolder);
    }
}
