using LanguageExt;

namespace LayerFunctional.Tests.Core;

/// <summary>Release strings, as people and docker write them, name the rule set of a supported moby release; others are refused.</summary>
public class MobyVersionTests
{
    [Theory]
    [InlineData("17.06", "17.06")]
    [InlineData("v23.0", "23.0")]
    [InlineData("29", "29.0")]
    [InlineData("28.0.2", "28.0")]
    [InlineData("18.9", "18.09")]
    public void Versions_parse(string text, string expected) =>
        Assert.Equal(expected, MobyVersion.Parse(text).Map(v => v.ToString()).IfLeft(e => e));

    [Theory]
    [InlineData("17.03")]
    [InlineData("21.0")]
    [InlineData("30.0")]
    [InlineData("latest")]
    [InlineData("")]
    public void Unknown_versions_are_refused(string text) => Assert.True(MobyVersion.Parse(text).IsLeft);
}
