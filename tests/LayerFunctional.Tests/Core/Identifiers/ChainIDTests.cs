using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Identifiers;

/// <summary>layer-store.md §5.2's worked examples and §5.3's wrong variants; the short form and parse errors.</summary>
public class ChainIDTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly MobyVersion V29 = MobyVersion.Default;

    private static DiffID Diff(string text) => DiffID.Parse(text, MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));

    private static DiffID Sha256Of(string content) => DiffID.FromDigest(Digest.Sha256Of(Encoding.ASCII.GetBytes(content)));

    private static readonly DiffID A = Sha256Of("layer-a");
    private static readonly DiffID B = Sha256Of("layer-b");
    private static readonly DiffID C = Sha256Of("layer-c");
    private static readonly DiffID E = DiffID.FromDigest(Digest.Sha256Of(new byte[1024]));

    private static ChainID Chain(params DiffID[] diffs) =>
        diffs.Aggregate(Option<ChainID>.None, (parent, diff) => Some(ChainID.Compute(parent, diff))).IfNone(() => throw new ArgumentException("empty"));

    [Fact]
    public void Diff_ids_of_the_worked_example()
    {
        Assert.Equal("sha256:589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3", A.ToString());
        Assert.Equal("sha256:55fea2a37a9fc5963f1beccd0d162b856e6bd05ca07cdd3726847846ab740f0d", B.ToString());
        Assert.Equal("sha256:e6c65c655ca8172ab7a2b634dab3220a45472dd6571b6efd956ccc05e229a201", C.ToString());
        Assert.Equal("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", E.ToString());
    }

    [Fact]
    public void Chain_ids_of_the_worked_examples()
    {
        Assert.Equal(A.ToString(), Chain(A).ToString());
        Assert.Equal("sha256:267c5fd16af60e52927fabf0a36a31f3b5a2069347f7f00c7bd7f93f6ebc01f4", Chain(A, B).ToString());
        Assert.Equal("sha256:82c0ed5f6c15be9b9180a8c04b9f2c676d74af6db13c711f5bb47a0fa43b56df", Chain(A, B, C).ToString());
        Assert.Equal("sha256:170b376f64fb30995c140276be3d71dfb256b308d86183ca3b22aa93a79ad548", Chain(E, E).ToString());
        Assert.Equal("sha256:7800f80a93336d416612f372faa5f69eb67b353ce6ae9535fa0848f8784c74b1", Chain(E, E, E).ToString());
    }

    private static ChainID Id(string text) => ChainID.Parse(text, MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));

    [Fact]
    public void Matches_accepts_exactly_the_worked_chain_ids()
    {
        var ab = Id("sha256:267c5fd16af60e52927fabf0a36a31f3b5a2069347f7f00c7bd7f93f6ebc01f4");
        var abc = Id("sha256:82c0ed5f6c15be9b9180a8c04b9f2c676d74af6db13c711f5bb47a0fa43b56df");
        Assert.True(ChainID.Matches(Some(Chain(A)), B, ab));
        Assert.True(ChainID.Matches(Some(ab), C, abc));
        Assert.True(ChainID.Matches(None, A, Chain(A)));
        Assert.False(ChainID.Matches(None, B, Chain(A)));
        Assert.False(ChainID.Matches(Some(Chain(A)), C, ab));
        Assert.False(ChainID.Matches(Some(ab), B, abc));
        // Upper-case hex (accepted before 18.04) names another folder: it never matches the computed lower-case ID.
        var upper = ChainID.Parse("sha256:267C5FD16AF60E52927FABF0A36A31F3B5A2069347F7F00C7BD7F93F6EBC01F4", MobyVersion.Parse("17.06").Case as MobyVersion ?? throw new ArgumentException())
            .IfLeft(e => throw new ArgumentException(e));
        Assert.False(ChainID.Matches(Some(Chain(A)), B, upper));
    }

    [Fact]
    public void The_hashed_bytes_are_143_bytes_with_one_space_and_no_newline()
    {
        var bytes = Encoding.ASCII.GetBytes(A + " " + B);
        Assert.Equal(143, bytes.Length);
        Assert.Equal(Chain(A, B).Digest.Encoded, Digest.Sha256Of(bytes).Encoded);
    }

    [Fact]
    public void Wrong_variants_give_other_ids()
    {
        var withNewline = Digest.Sha256Of(Encoding.ASCII.GetBytes(A + " " + B + "\n")).Encoded;
        Assert.Equal("2e5af79206685eb264f5655cc106703a7c077a9b3b13b68063fb4bb5cdff6c91", withNewline);
        var noPrefix = Digest.Sha256Of(Encoding.ASCII.GetBytes(A.Digest.Encoded + " " + B.Digest.Encoded)).Encoded;
        Assert.Equal("13c5e9e44d268c3f0803d3cfba53f5a99650dd8e928633aa8fd0c7e1e952fb47", noPrefix);
        Assert.NotEqual(withNewline, Chain(A, B).Digest.Encoded);
        Assert.NotEqual(noPrefix, Chain(A, B).Digest.Encoded);
    }

    [Fact]
    public void Parsed_and_computed_ids_are_equal_values() =>
        Assert.Equal(Chain(A, B), ChainID.Parse("sha256:267c5fd16af60e52927fabf0a36a31f3b5a2069347f7f00c7bd7f93f6ebc01f4", MobyVersion.Default).IfLeft(e => throw new ArgumentException(e)));

    [Fact]
    public void Chain_ids_are_equal_and_hash_alike_exactly_when_their_digests_are()
    {
        ChainID Of(string text) => ChainID.Parse(text, MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));
        var a = Of("sha256:" + Hex64);
        var again = Of("sha256:" + Hex64);
        var other = Of("sha256:" + Hex64[..^1] + "0");
        var sha512 = Of("sha512:" + Hex64 + Hex64);
        Assert.NotSame(a, again);
        Assert.Equal((true, true, a.Digest.GetHashCode()), (a.Equals(again), a == again, again.GetHashCode()));
        Assert.False(a.Equals(other));
        Assert.False(a.Equals(sha512));
        Assert.False(a.Equals((object)"x"));
        Assert.False(a.Equals((ChainID?)null));
        Assert.True(sha512.Equals(Of("sha512:" + Hex64 + Hex64)));
        Assert.Single(new[] { a, again, Of("sha256:" + Hex64) }.Distinct());
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

    [Fact]
    public void The_longest_digests_a_chain_can_hold_hash_as_their_ascii_text_with_one_space()
    {
        // sha512 text on both sides: 135 + 1 + 135 bytes, the longest pair go-digest lets through.
        var parent = ChainID.Parse("sha512:" + new string('e', 128), MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));
        var diff = DiffID.Parse("sha512:" + new string('f', 128), MobyVersion.Default).IfLeft(e => throw new ArgumentException(e));
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.ASCII.GetBytes("sha512:" + new string('e', 128) + " sha512:" + new string('f', 128))));
        var computed = ChainID.Compute(Some(parent), diff);
        Assert.Equal(expected, computed.ToString());
        Assert.True(ChainID.Matches(Some(parent), diff, computed));
        Assert.False(ChainID.Matches(Some(parent), diff, ChainID.Compute(Some(computed), diff)));
    }
}
