using LayerFunctional.Snapshot;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary>overlay2 short links: the compact ../&lt;folder&gt;/diff form equals the same link held as text.</summary>
public class OverlayShortLinkTests
{
    private static readonly string Id = new('c', 64);

    [Fact]
    public void A_link_into_a_folders_diff_equals_the_same_link_held_as_text()
    {
        var compact = OverlayShortLink.ToDiffOf(Id, true);
        Assert.Equal("../" + Id + "/diff", compact.Target);
        Assert.Equal(new OverlayShortLink("../" + Id + "/diff", true), compact);
        Assert.Equal(new OverlayShortLink("../" + Id + "/diff", true).GetHashCode(), compact.GetHashCode());
        Assert.NotEqual(new OverlayShortLink("../" + Id + "/diff", false), compact);
        Assert.NotEqual(new OverlayShortLink("../" + Id + "-init/diff", true), compact);
    }

    [Theory]
    [InlineData("../abc/diff", true, "abc")]
    [InlineData("../abc", true, "abc")]
    [InlineData("../abc/diff/x", true, "abc")]
    [InlineData("/var/lib/docker/overlay2/abc/diff", false, "var")]
    [InlineData("abc/def", false, "def")]
    [InlineData("abc", false, "")]
    [InlineData("", false, "")]
    public void The_target_folder_is_the_second_part_of_the_link_text(string target, bool leaves, string folder)
    {
        var link = new OverlayShortLink(target, true);
        Assert.Equal(leaves, link.TargetLeavesLinkFolder);
        Assert.Equal(folder, link.TargetFolder);
    }

    [Fact]
    public void A_link_into_a_folders_diff_names_that_folder_without_building_its_text()
    {
        var compact = OverlayShortLink.ToDiffOf(Id, false);
        Assert.True(compact.TargetLeavesLinkFolder);
        Assert.Same(Id, compact.TargetFolder);
    }
}
