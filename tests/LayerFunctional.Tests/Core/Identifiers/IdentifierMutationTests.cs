using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Mutation;

/// <summary>go-digest validation and driver IDs (layer-store.md §2.1, §2.2): exact results and error texts.</summary>
public class IdentifierMutationTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly MobyVersion V29 = MobyVersion.Default;
    private static readonly MobyVersion V1706 = MobyVersion.Parse("17.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1805 = MobyVersion.Parse("18.05").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1806 = MobyVersion.Parse("18.06").IfLeft(e => throw new ArgumentException(e));

    private static string DigestError(string text, MobyVersion v) =>
        Digest.Parse(text, v).Match(Left: e => e, Right: d => "ok " + d);

    [Theory]
    [InlineData("", "invalid checksum digest format")]
    [InlineData(":" + Hex64, "invalid checksum digest format")]
    [InlineData("sha256:", "invalid checksum digest format")]
    [InlineData("sha256", "invalid checksum digest format")]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", "invalid checksum digest length")]
    [InlineData("sha256:" + Hex64 + "0", "invalid checksum digest length")]
    [InlineData("sha384:" + Hex64, "invalid checksum digest length")]
    [InlineData("sha512:" + Hex64, "invalid checksum digest length")]
    [InlineData("sha256:a", "invalid checksum digest length")]
    [InlineData("sha256:" + Hex64 + ":", "invalid checksum digest length")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm")]
    [InlineData("sha1:abc", "unsupported digest algorithm")]
    [InlineData("a.b+c_d-e:AZaz09=_-", "unsupported digest algorithm")]
    [InlineData("MD5:abc", "invalid checksum digest format")]
    [InlineData("SHA256:" + Hex64, "invalid checksum digest format")]
    [InlineData("md5:ab/c", "invalid checksum digest format")]
    [InlineData("md5:abc\n", "invalid checksum digest format")]
    [InlineData("md5.:abc", "invalid checksum digest format")]
    [InlineData("sha256:g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde:", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde`", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeA", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF", "invalid checksum digest format")]
    [InlineData("sha256:" + Hex64, "ok sha256:" + Hex64)]
    public void Digest_parse_in_the_v1_era(string text, string expected) => Assert.Equal(expected, DigestError(text, V29));

    [Theory]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "ok sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeG", "invalid checksum digest format")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde@", "invalid checksum digest format")]
    [InlineData("SHA256:" + Hex64, "unsupported digest algorithm")]
    [InlineData("Md-5_x+y.z:ABCdef09", "unsupported digest algorithm")]
    [InlineData("md5:xyz", "invalid checksum digest format")]
    [InlineData("md5:abc=", "invalid checksum digest format")]
    [InlineData("md/5:abc", "invalid checksum digest format")]
    [InlineData("md5:abc\n", "invalid checksum digest format")]
    public void Digest_parse_before_18_04(string text, string expected) => Assert.Equal(expected, DigestError(text, V1706));

    [Fact]
    public void Digest_parts_and_folder_key()
    {
        var hex96 = Hex64 + Hex64[..32];
        var d = Digest.Parse("sha384:" + hex96, V29).IfLeft(e => throw new ArgumentException(e));
        Assert.Equal(("sha384", hex96, "sha384/" + hex96, "sha384:" + hex96), (d.Algorithm, d.Encoded, d.FolderKey, d.ToString()));
        var hex128 = Hex64 + Hex64;
        Assert.Equal("sha512/" + hex128, Digest.Parse("sha512:" + hex128, V29).Map(x => x.FolderKey).IfLeft(""));
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Sha256Of([]).ToString());
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.Sha256Of("hello"u8).ToString());
    }

    [Fact]
    public void Chain_id_short_form_and_parse()
    {
        var c = ChainID.Parse("sha256:" + Hex64, V29).IfLeft(e => throw new ArgumentException(e));
        Assert.Equal("0123456789ab", c.Short);
        Assert.Equal("sha256:" + Hex64, c.ToString());
        Assert.Equal(Left<string, string>("invalid checksum digest length"), ChainID.Parse("sha256:abc", V29).Map(x => x.ToString()));
        Assert.Equal(Left<string, string>("invalid checksum digest format"), DiffID.Parse("", V29).Map(x => x.ToString()));
        Assert.Equal(c, ChainID.FromDigest(c.Digest));
        var diff = DiffID.FromDigest(Digest.Sha256Of("x"u8));
        Assert.Equal(diff.ToString(), ChainID.Compute(None, diff).ToString());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(c + " " + diff))),
            ChainID.Compute(Some(c), diff).ToString());
    }

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
}
