using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>overlay2 short links: the compact <c>../&lt;folder&gt;/diff</c> form, and paths through <c>l/</c> in <c>which</c>.</summary>
public class ShortLinkTests
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

    [Fact]
    public void A_path_through_l_is_the_folder_the_link_leads_to()
    {
        Assert.Equal(Some("overlay2/l/ABC"), Ownership.ShortLinkOf("overlay2/l/ABC/etc/hosts", Some("overlay2")));
        Assert.Equal(Some("fuse-overlayfs/l/ABC"), Ownership.ShortLinkOf("fuse-overlayfs/l/ABC", Some("fuse-overlayfs")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l", Some("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l/ABC", Some("vfs")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("vfs/l/ABC", Some("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/x/ABC", Some("overlay2")));
        Assert.Equal(Option<string>.None, Ownership.ShortLinkOf("overlay2/l/ABC", None));

        Assert.Equal($"overlay2/{Id}/diff/etc/hosts", Ownership.ThroughShortLink("overlay2/l/ABC/etc/hosts", $"../{Id}/diff"));
        Assert.Equal($"overlay2/{Id}/diff", Ownership.ThroughShortLink("overlay2/l/ABC", $"../{Id}/diff"));
        // A link that leaves the driver home, or an absolute one, leaves the path as asked.
        Assert.Equal("overlay2/l/ABC", Ownership.ThroughShortLink("overlay2/l/ABC", "../../../etc"));
        Assert.Equal("overlay2/l/ABC", Ownership.ThroughShortLink("overlay2/l/ABC", "/etc/passwd"));
    }
}
