using System.Text;
using LanguageExt;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Snapshot;

/// <summary><see cref="FolderFileMap"/>: the files read from one folder.</summary>
public class FolderFileMapTests
{
    private static RawFile T(string text) => new RawFile.Content(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Files_are_found_by_name_sorted_and_a_later_duplicate_wins()
    {
        var diff = T("d");
        var size = T("1");
        var later = T("2");
        var map = FolderFileMap.Of([("size", size), ("diff", diff), ("size", later)]);
        Assert.Equal(2, map.Count);
        Assert.Equal(Some(diff), map.Find("diff"));
        Assert.Equal(Some(later), map.Find("size"));
        Assert.Equal(Option<RawFile>.None, map.Find("parent"));
        Assert.True(map.ContainsKey("diff"));
        Assert.Equal(new[] { "diff", "size" }, map.Select(f => f.Key));
    }

    [Fact]
    public void The_default_map_is_empty_and_maps_with_equal_files_are_equal()
    {
        var empty = default(FolderFileMap);
        Assert.True(empty.IsEmpty);
        Assert.Equal(0, empty.Count);
        Assert.Empty(empty);
        Assert.Equal(Option<RawFile>.None, empty.Find("diff"));
        var file = new RawFile.NotRead(3);
        Assert.Equal(FolderFileMap.Of([("a", file)]), (FolderFileMap)HashMap(("a", (RawFile)file)));
        Assert.True(FolderFileMap.Of([("a", file)]) == FolderFileMap.Of([("a", new RawFile.NotRead(3))]));
        Assert.True(FolderFileMap.Of([("a", file)]) != FolderFileMap.Of([("b", file)]));
        Assert.True(FolderFileMap.Of([("a", file)]) != empty);
        Assert.Equal(empty, FolderFileMap.Of([]));
        Assert.Equal(empty.GetHashCode(), FolderFileMap.Of([]).GetHashCode());
    }

    [Fact]
    public void Oversized_names_the_whole_files_over_the_usual_limit_by_name_with_their_lengths()
    {
        var big = new RawFile.Content(new byte[MetadataLimits.Usual + 1]);
        var atLimit = new RawFile.Content(new byte[MetadataLimits.Usual]);
        var map = FolderFileMap.Of([("size", big), ("diff", atLimit), ("cache-id", new RawFile.NotRead(MetadataLimits.Usual + 9)),
            ("descriptor.json", new RawFile.Content(new byte[MetadataLimits.Usual + 7]))]);
        Assert.Equal(Seq(("descriptor.json", MetadataLimits.Usual + 7), ("size", MetadataLimits.Usual + 1)), map.Oversized());
        Assert.True(default(FolderFileMap).Oversized().IsEmpty);
    }
}
