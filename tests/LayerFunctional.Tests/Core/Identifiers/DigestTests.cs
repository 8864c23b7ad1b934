using System.Text;
using LanguageExt;

namespace LayerFunctional.Tests.Core.Identifiers;

/// <summary><see cref="Digest"/> held as its 32 hash bytes (canonical sha256) or as text (anything else): the same text,
/// order and equality either way; and go-digest's validation (layer-store.md §2.1): exact results and error texts per release.</summary>
public class DigestTests
{
    private const string Hex = "589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3";
    private static readonly MobyVersion Old = MobyVersion.Parse("17.06").IfLeft(_ => throw new InvalidOperationException());
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly MobyVersion V29 = MobyVersion.Default;

    private static Digest Parse(string text, MobyVersion? v = null) =>
        Digest.Parse(text, v ?? MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));

    [Fact]
    public void A_lower_case_sha256_digest_is_held_as_bytes_and_gives_back_its_text()
    {
        var d = Parse("sha256:" + Hex);
        Assert.True(d.IsCanonicalSha256);
        Assert.Equal("sha256:" + Hex, d.ToString());
        Assert.Equal(Hex, d.Encoded);
        Assert.Equal("sha256/" + Hex, d.FolderKey);
        Assert.Equal("589f0d58b905", d.Short);
        Assert.Equal("sha256", d.Algorithm);
        Assert.Equal(71, d.TextLength);
        var ascii = new byte[71];
        Assert.Equal(71, d.WriteAscii(ascii));
        Assert.Equal("sha256:" + Hex, Encoding.ASCII.GetString(ascii));
        Assert.True(d.HasSha256(Convert.FromHexString(Hex)));
        Assert.False(d.HasSha256(Convert.FromHexString(Hex.Replace('5', '6'))));
        Assert.Equal(d, Digest.Sha256Of(Encoding.ASCII.GetBytes("layer-a")));
        Assert.Equal(d, Digest.FromSha256(Convert.FromHexString(Hex)));
    }

    [Fact]
    public void Other_digests_keep_their_text()
    {
        var upper = Parse("sha256:" + Hex.ToUpperInvariant(), Old);
        Assert.False(upper.IsCanonicalSha256);
        Assert.Equal("sha256:" + Hex.ToUpperInvariant(), upper.ToString());
        Assert.Equal("sha256/" + Hex.ToUpperInvariant(), upper.FolderKey);
        Assert.NotEqual(Parse("sha256:" + Hex), upper);   // a different folder name
        Assert.False(upper.HasSha256(Convert.FromHexString(Hex)));
        var sha512 = Parse("sha512:" + Hex + Hex);
        Assert.Equal("sha512", sha512.Algorithm);
        Assert.Equal("sha512/" + Hex + Hex, sha512.FolderKey);
        Assert.Equal(Hex[..12], sha512.Short);
        Assert.Equal(135, sha512.TextLength);
        // All digits: the same value with or without upper-case acceptance.
        Assert.True(Parse("sha256:" + new string('1', 64), Old).IsCanonicalSha256);
    }

    [Fact]
    public void Order_and_equality_are_those_of_the_text()
    {
        var texts = new[]
        {
            "sha256:" + Hex, "sha256:" + new string('0', 64), "sha256:" + new string('f', 64), "sha256:" + new string('a', 63) + "0",
            "sha256:" + Hex.ToUpperInvariant(), "sha512:" + Hex + Hex, "sha384:" + Hex + Hex[..32], "sha256:" + Hex[..63] + "4",
        };
        var digests = texts.Select(t => Parse(t, Old)).ToArray();
        foreach (var a in digests)
            foreach (var b in digests)
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(a.ToString(), b.ToString())), Digest.CompareOrdinal(a, b));
                Assert.Equal(Math.Sign(string.CompareOrdinal(a.Encoded, b.Encoded)), Digest.CompareEncoded(a, b));
                Assert.Equal(a.ToString() == b.ToString(), a.Equals(b));
                if (a.Equals(b)) Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        var chains = digests.Select(ChainID.FromDigest).OrderBy(c => c, ChainID.Ordinal).Select(c => c.ToString());
        Assert.Equal(texts.OrderBy(t => t, StringComparer.Ordinal), chains);
    }

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
    public void Digest_parse_before_18_04(string text, string expected) => Assert.Equal(expected, DigestError(text, Old));

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

    [Theory]
    [InlineData("sha256:" + Hex)]
    [InlineData("  sha256:" + Hex + "\n")]
    [InlineData("sha256:" + Hex64)]
    [InlineData("sha256:" + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/")]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde:")]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde`")]
    [InlineData("sha256:abc")]
    [InlineData("sha512:" + Hex64 + Hex64)]
    [InlineData("sha256-" + Hex64)]
    [InlineData("")]
    public void A_files_bytes_parse_as_their_trimmed_text_does(string content)
    {
        foreach (var version in new[] { V29, Old })
        {
            var fromBytes = Digest.ParseFile(Encoding.UTF8.GetBytes(content), version);
            var fromText = Digest.Parse(content.Trim(), version);
            Assert.Equal(fromText, fromBytes);
            Assert.Equal(fromText.Map(d => d.IsCanonicalSha256), fromBytes.Map(d => d.IsCanonicalSha256));
        }
    }

    [Theory]
    [InlineData(Hex, true)]
    [InlineData(Hex64, true)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    [InlineData("/123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData(":123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("`123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", false)]
    public void A_folder_name_of_64_lower_case_hex_digits_is_the_canonical_digest_of_sha256_and_that_name(string name, bool canonical)
    {
        Assert.Equal(canonical, Digest.TryCanonicalHex(name, out var digest));
        if (canonical) Assert.Equal(Parse("sha256:" + name), digest);
        else Assert.Equal(default, digest);
        // The same from the name's bytes, as a listing hands it over.
        Assert.Equal(canonical, Digest.TryCanonicalHex(System.Text.Encoding.UTF8.GetBytes(name), out var fromBytes));
        Assert.Equal(digest, fromBytes);
    }

    [Fact]
    public void A_folder_path_is_the_folder_key_between_what_comes_before_and_after()
    {
        Assert.Equal("image/overlay2/layerdb/sha256/" + Hex, Parse("sha256:" + Hex).FolderPath("image/overlay2/layerdb"));
        Assert.Equal("/r/sha256/" + Hex + "/tar-split.json.gz", Parse("sha256:" + Hex).FolderPath("/r", "/tar-split.json.gz"));
        var sha512 = Parse("sha512:" + Hex64 + Hex64);
        Assert.Equal("db/sha512/" + Hex64 + Hex64 + "/x", sha512.FolderPath("db", "/x"));
        var upper = Parse("sha256:" + Hex.ToUpperInvariant(), Old);
        Assert.Equal("db/sha256/" + Hex.ToUpperInvariant(), upper.FolderPath("db"));
    }
}
