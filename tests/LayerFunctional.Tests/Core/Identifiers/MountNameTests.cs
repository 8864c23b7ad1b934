using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Identifiers;

/// <summary>A mount name (the container ID naming a <c>layerdb/mounts/</c> folder): ordinal text, as moby keys its mounts
/// (no trimming, no case folding, no validation).</summary>
public class MountNameTests
{
    private const string Id = "063d529d4376a4157b2872df3b66d64c908a06113064e4b50d59b91c781ea261";

    [Fact]
    public void Names_are_equal_only_as_the_same_ordinal_text()
    {
        Assert.Equal(new MountName(Id), (MountName)new string(Id.AsSpan()));
        Assert.Equal(new MountName(Id).GetHashCode(), new MountName(new string(Id.AsSpan())).GetHashCode());
        Assert.NotEqual(new MountName(Id.ToUpperInvariant()), new MountName(Id));
        Assert.NotEqual(new MountName(Id + " "), new MountName(Id));
        Assert.NotEqual(new MountName(Id[..12]), new MountName(Id));
    }

    [Fact]
    public void The_default_name_reads_as_empty_text_and_equals_the_empty_name()
    {
        Assert.Equal("", default(MountName).Value);
        Assert.Equal("", default(MountName).ToString());
        Assert.Equal("", default(MountName).Short);
        Assert.Equal(new MountName(""), default);
    }

    [Fact]
    public void Names_sort_as_ordinal_text()
    {
        var sorted = Seq<MountName>("b", "B", "a", "weird name!", "_", "0").OrderBy(n => n).Map(n => n.Value);
        Assert.Equal(new[] { "0", "B", "_", "a", "b", "weird name!" }, sorted);
        Assert.True(new MountName("B").CompareTo("a") < 0);
        Assert.True(new MountName("b").CompareTo("a") > 0);
        Assert.Equal(0, new MountName("a").CompareTo("a"));
    }

    [Theory]
    [InlineData(Id, "063d529d4376")]
    [InlineData("063d529d4376", "063d529d4376")]
    [InlineData("063d529d43761", "063d529d4376")]
    [InlineData("scratch", "scratch")]
    public void The_short_form_is_the_first_12_characters_as_docker_ps_shows_it(string name, string shortForm) =>
        Assert.Equal(shortForm, new MountName(name).Short);

    [Fact]
    public void A_name_is_text_in_a_path_and_in_a_report() =>
        Assert.Equal($"image/overlay2/layerdb/mounts/{Id}", $"image/overlay2/layerdb/mounts/{new MountName(Id)}");
}
