using LanguageExt;
using LayerFunctional.Drivers;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Identifiers;

/// <summary>A graph driver's name: ordinal text, as moby compares names (no trimming, no case folding).</summary>
public class DriverNameTests
{
    [Fact]
    public void Names_are_equal_only_as_the_same_ordinal_text()
    {
        Assert.Equal(new DriverName("overlay2"), DriverName.Overlay2);
        Assert.Equal(new DriverName("overlay2").GetHashCode(), DriverName.Overlay2.GetHashCode());
        Assert.NotEqual(new DriverName("Overlay2"), DriverName.Overlay2);
        Assert.NotEqual(new DriverName("overlay2 "), DriverName.Overlay2);
        Assert.NotEqual(new DriverName("overlay"), DriverName.Overlay2);
    }

    [Fact]
    public void The_default_name_reads_as_empty_text_and_equals_the_empty_name()
    {
        Assert.Equal("", default(DriverName).Value);
        Assert.Equal("", default(DriverName).ToString());
        Assert.Equal(new DriverName(""), default);
    }

    [Fact]
    public void Names_sort_as_ordinal_text()
    {
        var sorted = Seq<DriverName>("vfs", "Zfs", "overlay2", "aufs", "fuse-overlayfs", "overlay").OrderBy(n => n).Map(n => n.Value);
        Assert.Equal(new[] { "Zfs", "aufs", "fuse-overlayfs", "overlay", "overlay2", "vfs" }, sorted);
        Assert.True(new DriverName("overlay").CompareTo(DriverName.Overlay2) < 0);
        Assert.Equal(0, DriverName.Vfs.CompareTo("vfs"));
    }

    [Fact]
    public void A_name_is_text_in_a_report_and_in_a_path()
    {
        Assert.Equal("vfs", DriverName.Vfs.ToString());
        Assert.Equal("image/vfs/layerdb", $"image/{DriverName.Vfs}/layerdb");
        Assert.Equal(Seq<DriverName>("aufs", "btrfs", "devicemapper", "fuse-overlayfs", "overlay", "overlay2", "vfs", "zfs"),
            DriverSelection.AllDriverNames);
    }
}
