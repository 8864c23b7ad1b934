using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

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

    [Theory]
    [InlineData("../abc/diff", "abc", true)]
    [InlineData("../abc/diff", "ab", false)]
    [InlineData("../abc/diff", "abcd", false)]
    [InlineData("../abc/diffs", "abc", false)]
    [InlineData("./abc/diff", "abc", false)]
    [InlineData(".../abc/diff", ".abc", false)]
    [InlineData("../abc/dif", "abc", false)]
    [InlineData("../abc/difF", "abc", false)]
    [InlineData("..xabc/diff", "abc", false)]
    [InlineData("x./abc/diff", "abc", false)]
    [InlineData("../abc/xdiff", "abc", false)]
    [InlineData("../abc/diff", "abd", false)]
    [InlineData("..//diff", "", true)]
    public void A_link_is_the_diff_of_a_folder_when_its_text_is_exactly_dot_dot_folder_diff(string target, string folder, bool diffOf)
    {
        Assert.Equal(diffOf, new OverlayShortLink(target, true).IsDiffOf(folder));
        Assert.Equal(target == "../" + folder + "/diff", diffOf);
    }

    [Theory]
    [InlineData("../abc/diff", "abc")]
    [InlineData("..//diff", "")]
    [InlineData("../abc/diff/x", null)]
    [InlineData("../a/b/diff", null)]
    [InlineData("../abc", null)]
    [InlineData("abc/def/diff", null)]
    [InlineData("", null)]
    public void The_diff_folder_of_a_link_is_its_folder_only_for_the_dot_dot_folder_diff_form(string target, string? folder)
    {
        Assert.Equal(Optional(folder), new OverlayShortLink(target, false).DiffFolder);
        Assert.Equal(Some(Id), OverlayShortLink.ToDiffOf(Id, false).DiffFolder);
        Assert.True(OverlayShortLink.ToDiffOf(Id, false).IsDiffOf(Id));
        Assert.False(OverlayShortLink.ToDiffOf(Id, false).IsDiffOf(Id + "-init"));
    }

    [Fact]
    public void A_link_is_a_value_compared_by_text_and_existence_with_its_operators()
    {
        Assert.True(OverlayShortLink.ToDiffOf(Id, true) == new OverlayShortLink("../" + Id + "/diff", true));
        Assert.True(OverlayShortLink.ToDiffOf(Id, true) != OverlayShortLink.ToDiffOf(Id, false));
        Assert.False(OverlayShortLink.ToDiffOf(Id, true) != new OverlayShortLink("../" + Id + "/diff", true));
        Assert.True(new OverlayShortLink("x", true).Equals((object)new OverlayShortLink("x", true)));
        Assert.False(new OverlayShortLink("x", true).Equals((object)"x"));
        Assert.Equal("", default(OverlayShortLink).Target);
    }
}
