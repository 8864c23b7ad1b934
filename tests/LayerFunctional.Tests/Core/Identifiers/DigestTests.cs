using System.Text;
using LanguageExt;

namespace LayerFunctional.Tests;

/// <summary><see cref="Digest"/> held as its 32 hash bytes (canonical sha256) or as text (anything else): the same text,
/// order and equality either way.</summary>
public class DigestTests
{
    private const string Hex = "589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3";
    private static readonly MobyVersion Old = MobyVersion.Parse("17.06").IfLeft(_ => throw new InvalidOperationException());

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
}
