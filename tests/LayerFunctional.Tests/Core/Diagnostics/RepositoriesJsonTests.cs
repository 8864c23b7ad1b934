using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>moby's tag store (<c>reference/store.go</c>) read as image ID → references.</summary>
public class RepositoriesJsonTests
{
    private static readonly string A = "sha256:" + new string('a', 64);
    private static readonly string B = "sha256:" + new string('b', 64);

    private static Either<string, HashMap<string, Seq<string>>> Parse(string json) => RepositoriesJson.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void References_are_grouped_by_image_with_tags_before_digests_each_sorted()
    {
        var digest = "busybox@sha256:" + new string('c', 64);
        var parsed = Parse("{\"Repositories\":{\"busybox\":{\"" + digest + "\":\"" + A + "\",\"busybox:latest\":\"" + A + "\",\"busybox:1.36\":\"" + A
                           + "\"},\"alpine\":{\"alpine:3\":\"" + B + "\"}}}");
        Assert.Equal(Right<string, HashMap<string, Seq<string>>>(HashMap((A, Seq("busybox:1.36", "busybox:latest", digest)), (B, Seq1("alpine:3")))), parsed);
    }

    [Fact]
    public void An_image_pulls_by_its_tags_or_else_by_its_digest_references()
    {
        var digest = "busybox@sha256:" + new string('c', 64);
        Assert.Equal(Seq1("busybox:latest"), RepositoriesJson.Pullable(Seq("busybox:latest", digest)));
        Assert.Equal(Seq1(digest), RepositoriesJson.Pullable(Seq1(digest)));
        Assert.Empty(RepositoriesJson.Pullable(Empty));
    }

    [Theory]
    [InlineData("{}", 0)]
    [InlineData("""{"Repositories":null}""", 0)]
    [InlineData("""{"Repositories":{"x":null}}""", 0)]
    public void An_empty_tag_store_names_nothing(string json, int count) =>
        Assert.Equal(count, Parse(json).Map(m => m.Count).IfLeft(-1));

    [Theory]
    [InlineData("not json", "repositories.json is not JSON: ")]
    [InlineData("[]", "repositories.json is not a JSON object")]
    [InlineData("""{"Repositories":[]}""", "Repositories is not an object")]
    [InlineData("""{"Repositories":{"x":1}}""", "repository \"x\" is not an object")]
    [InlineData("""{"Repositories":{"x":{"x:1":2}}}""", "reference \"x:1\" does not name an image ID")]
    public void Anything_else_is_not_a_tag_store(string json, string why) =>
        Assert.StartsWith(why, Parse(json).Match(Left: e => e, Right: _ => "parsed"), StringComparison.Ordinal);
}
