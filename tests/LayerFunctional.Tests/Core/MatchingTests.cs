using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core;

public class MatchingTests
{
    [Fact]
    public void TrySome_gives_the_value_of_some_and_false_for_none()
    {
        Assert.True(Some("c1").TrySome(out var value));
        Assert.Equal("c1", value);
        Assert.False(Option<string>.None.TrySome(out _));
        Assert.True(Some(0L).TrySome(out var zero));
        Assert.Equal(0L, zero);
    }

    [Fact]
    public void An_either_with_the_same_type_on_both_sides_is_read_by_its_side()
    {
        var left = Left<string, string>("why");
        var right = Right<string, string>("value");
        Assert.True(left.TryLeft(out var why));
        Assert.Equal("why", why);
        Assert.False(left.TryRight(out _));
        Assert.True(right.TryRight(out var value));
        Assert.Equal("value", value);
        Assert.False(right.TryLeft(out _));
    }

    [Fact]
    public void A_right_value_type_is_read_without_its_left()
    {
        Assert.True(Right<string, int>(7).TryRight(out var seven));
        Assert.Equal(7, seven);
        Assert.True(Left<string, int>("bad").TryLeft(out var bad));
        Assert.Equal("bad", bad);
        Assert.False(Left<string, int>("bad").TryRight(out _));
    }
}
