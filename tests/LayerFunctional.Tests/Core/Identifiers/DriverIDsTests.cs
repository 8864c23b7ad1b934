using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Identifiers;

/// <summary>Driver IDs (layer-store.md §2.2): mount, init and cache IDs per release, exact results and error texts.</summary>
public class DriverIDsTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly MobyVersion V1805 = MobyVersion.Parse("18.05").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1806 = MobyVersion.Parse("18.06").IfLeft(e => throw new ArgumentException(e));

    [Theory]
    [InlineData(Hex64, true)]
    [InlineData(Hex64 + "-init", true)]
    [InlineData(Hex64 + "-inix", false)]
    [InlineData(Hex64 + "xinit", false)]
    [InlineData(Hex64 + "-ini", false)]
    [InlineData(Hex64 + "--init", false)]
    [InlineData(Hex64 + "0", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("/123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData(":123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("`123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg-init", false)]
    [InlineData("9999999999999999999999999999999999999999999999999999999999999999", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true)]
    [InlineData("", false)]
    public void Driver_ids_are_64_lower_hex_with_optional_init(string id, bool valid)
    {
        Assert.Equal(valid ? Right<string, string>(id) : Left<string, string>("invalid mount id value"), MountID.Parse(id).Map(m => m.ToString()));
        Assert.Equal(valid ? Right<string, string>(id) : Left<string, string>("invalid init id value"), InitID.Parse(id).Map(m => m.Value));
        Assert.Equal(valid ? Right<string, string>(id) : Left<string, string>("invalid cache id value"), CacheID.Parse(id, V1805).Map(m => m.Value));
    }

    [Theory]
    [InlineData("../../etc", true)]
    [InlineData("x", true)]
    [InlineData("", false)]
    public void Cache_ids_from_18_06_need_only_text(string id, bool valid) =>
        Assert.Equal(valid ? Right<string, string>(id) : Left<string, string>("invalid cache id value"), CacheID.Parse(id, V1806).Map(c => c.ToString()));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-init", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-init-init", false)]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("", false)]
    public void Mount_id_is_64_lower_hex_with_optional_init(string id, bool valid)
    {
        Assert.Equal(valid, MountID.Parse(id).IsRight);
        Assert.Equal(valid, InitID.Parse(id).IsRight);
    }
}
