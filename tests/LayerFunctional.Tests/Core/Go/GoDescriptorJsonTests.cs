using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Go;

/// <summary>descriptor.json (layer-store.md §1.5) decoded as Go's encoding/json does: what loads, exact decoded values and
/// Go's exact error texts.</summary>
public class GoDescriptorJsonTests
{
    private static readonly MobyVersion V29 = MobyVersion.Default;
    private static readonly MobyVersion V1806 = MobyVersion.Parse("18.06").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1809 = MobyVersion.Parse("18.09").IfLeft(e => throw new ArgumentException(e));
    private static readonly MobyVersion V1903 = MobyVersion.Parse("19.03").IfLeft(e => throw new ArgumentException(e));

    private static Either<string, LayerDescriptor> Decode(string json, MobyVersion? v = null) =>
        GoDescriptorJson.Decode(Encoding.UTF8.GetBytes(json), v ?? V29);

    private static string Error(string json, MobyVersion? v = null) =>
        Decode(json, v).Match(Left: e => e, Right: d => throw new Xunit.Sdk.XunitException("decoded: " + d));

    private static LayerDescriptor Value(string json, MobyVersion? v = null) =>
        Decode(json, v).Match(Left: e => throw new Xunit.Sdk.XunitException("failed: " + e), Right: d => d);

    [Fact]
    public void Every_field_is_read()
    {
        var d = Value("{\"mediaType\":\"application/x\",\"size\":42,\"digest\":\"sha256:abc\",\"urls\":[\"https://a\",null,\"https://b\"]}");
        Assert.Equal(Some("application/x"), d.MediaType);
        Assert.Equal(Some(42L), d.Size);
        Assert.Equal(Some("sha256:abc"), d.Digest);
        Assert.Equal(Seq("https://a", "https://b"), d.Urls);
    }

    [Theory]
    [InlineData("sha256:589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3")]   // held as bytes
    [InlineData("sha256:589F0D58B9053A4FF7329B8FDB4F9DD120E29354C086AD0B3B10733F6CFD6DE3")]   // upper case: kept as written
    [InlineData("sha256:589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de")]    // 63 characters
    [InlineData("sha512:589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6de3")]
    [InlineData("sha256:589f0d58b9053a4ff7329b8fdb4f9dd120e29354c086ad0b3b10733f6cfd6dez")]
    [InlineData("")]
    public void The_digest_reads_back_as_written_and_compares_by_its_text(string digest)
    {
        var d = Value("{\"digest\":\"" + digest + "\",\"urls\":[\"https://a\"]}");
        Assert.Equal(Some(digest), d.Digest);
        Assert.Equal(new LayerDescriptor(None, None, Some(digest), Seq1("https://a")), d);
        Assert.Equal(new LayerDescriptor(None, None, Some(digest), Seq1("https://a")).GetHashCode(), d.GetHashCode());
        Assert.NotEqual(new LayerDescriptor(None, None, Some(digest + "0"), Seq1("https://a")), d);
        Assert.NotEqual(new LayerDescriptor(None, None, Some(digest), Empty), d);
        Assert.NotEqual(LayerDescriptor.Empty, d);
    }

    [Theory]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip")]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")]
    [InlineData("application/vnd.oci.image.layer.v1.tar")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")]
    public void A_known_layer_media_type_is_one_shared_instance(string mediaType)
    {
        var json = "{\"mediaType\":\"" + mediaType + "\"}";
        var (a, b) = (Value(json).MediaType, Value(json).MediaType);
        Assert.Equal(Some(mediaType), a);
        Assert.True(a.TrySome(out var first) && b.TrySome(out var second) && ReferenceEquals(first, second));
        Assert.Same(GoDescriptorJson.SharedMediaType(mediaType), first);
        // Another text is kept as decoded, even one that differs only in case.
        var upper = Value(json.ToUpperInvariant()).MediaType;
        Assert.Equal(Some(mediaType.ToUpperInvariant()), upper);
        var other = mediaType.ToUpperInvariant();
        Assert.Same(other, GoDescriptorJson.SharedMediaType(other));
    }

    [Fact]
    public void Keys_fold_ascii_case_long_s_and_kelvin()
    {
        var d = Value("{\"MEDIATYPE\":\"m\",\"SiZe\":-3,\"DIGEST\":\"d\",\"URLS\":[\"u\"]}");
        Assert.Equal((Some("m"), Some(-3L), Some("d"), Seq1("u")), (d.MediaType, d.Size, d.Digest, d.Urls));
        Assert.Equal(Some(7L), Value("{\"\u017fize\":7}").Size);
        Assert.Equal(Some("z"), Value("{\"mediAtype\":\"z\"}").MediaType);
        Assert.Equal(Some(1L), Value("{\"siZe\":1}").Size);
        // Characters next to A..Z do not fold, so these keys are unknown and skipped.
        Assert.Equal(LayerDescriptor.Empty, Value("{\"@ize\":\"x\",\"[ize\":\"x\",\"si{e\":\"x\"}"));
        Assert.Equal("cannot unmarshal string into Go struct field of type int64", Error("{\"SIZE\":\"x\"}"));
    }

    [Fact]
    public void Nulls_leave_fields_empty()
    {
        Assert.Equal(LayerDescriptor.Empty, Value("{\"mediaType\":null,\"size\":null,\"digest\":null,\"urls\":null}"));
        Assert.Equal(LayerDescriptor.Empty, Value("null"));
        Assert.Equal(LayerDescriptor.Empty, Value(" null \n"));
        Assert.Equal(LayerDescriptor.Empty, Value("{}"));
    }

    [Fact]
    public void Later_duplicates_overwrite_earlier_values()
    {
        var d = Value("{\"size\":1,\"size\":2,\"mediaType\":\"a\",\"mediaType\":\"b\",\"urls\":[\"x\"],\"urls\":[\"y\"]}");
        Assert.Equal((Some(2L), Some("b")), (d.Size, d.MediaType));
    }

    [Theory]
    [InlineData("[]", "cannot unmarshal array into Go value of type distribution.Descriptor")]
    [InlineData("\"x\"", "cannot unmarshal string into Go value of type distribution.Descriptor")]
    [InlineData("5", "cannot unmarshal number into Go value of type distribution.Descriptor")]
    [InlineData("true", "cannot unmarshal bool into Go value of type distribution.Descriptor")]
    [InlineData("false", "cannot unmarshal bool into Go value of type distribution.Descriptor")]
    [InlineData("{\"size\":\"5\"}", "cannot unmarshal string into Go struct field of type int64")]
    [InlineData("{\"size\":true}", "cannot unmarshal bool into Go struct field of type int64")]
    [InlineData("{\"size\":[1]}", "cannot unmarshal array into Go struct field of type int64")]
    [InlineData("{\"size\":{\"a\":1}}", "cannot unmarshal object into Go struct field of type int64")]
    [InlineData("{\"size\":1.5}", "cannot unmarshal number 1.5 into Go struct field Descriptor.size of type int64")]
    [InlineData("{\"size\":1e3}", "cannot unmarshal number 1e3 into Go struct field Descriptor.size of type int64")]
    [InlineData("{\"size\":9223372036854775808}", "cannot unmarshal number 9223372036854775808 into Go struct field Descriptor.size of type int64")]
    [InlineData("{\"mediaType\":5}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"digest\":false}", "cannot unmarshal bool into Go struct field of type string")]
    [InlineData("{\"digest\":{}}", "cannot unmarshal object into Go struct field of type string")]
    [InlineData("{\"urls\":\"a\"}", "cannot unmarshal string into Go struct field of type []string")]
    [InlineData("{\"urls\":{}}", "cannot unmarshal object into Go struct field of type []string")]
    [InlineData("{\"urls\":[5]}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"urls\":[[1],\"a\"]}", "cannot unmarshal array into Go struct field of type string")]
    [InlineData("{\"urls\":[\"a\",true,5]}", "cannot unmarshal bool into Go struct field of type string")]
    [InlineData("{\"annotations\":5}", "cannot unmarshal number into Go struct field of type map[string]string")]
    [InlineData("{\"annotations\":[]}", "cannot unmarshal array into Go struct field of type map[string]string")]
    [InlineData("{\"annotations\":{\"a\":5}}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"annotations\":{\"a\":\"x\",\"b\":{},\"c\":1}}", "cannot unmarshal object into Go struct field of type string")]
    [InlineData("{\"platform\":5}", "cannot unmarshal number into Go struct field of type v1.Platform")]
    [InlineData("{\"platform\":\"linux\"}", "cannot unmarshal string into Go struct field of type v1.Platform")]
    [InlineData("{\"platform\":{\"os\":5}}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"platform\":{\"architecture\":[]}}", "cannot unmarshal array into Go struct field of type string")]
    [InlineData("{\"platform\":{\"OS.Version\":1}}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"platform\":{\"variant\":true}}", "cannot unmarshal bool into Go struct field of type string")]
    [InlineData("{\"platform\":{\"os.features\":\"x\"}}", "cannot unmarshal string into Go struct field of type []string")]
    [InlineData("{\"platform\":{\"os.features\":[1]}}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"platform\":{\"os\":1,\"variant\":true}}", "cannot unmarshal number into Go struct field of type string")]
    [InlineData("{\"size\":\"x\",\"mediaType\":5}", "cannot unmarshal string into Go struct field of type int64")]
    [InlineData("{\"size\":\"x\",\"urls\":[\"a\"]}", "cannot unmarshal string into Go struct field of type int64")]
    [InlineData("{\"size\":\"x\",\"size\":5}", "cannot unmarshal string into Go struct field of type int64")]
    [InlineData("{\"size\":5,\"size\":\"x\"}", "cannot unmarshal string into Go struct field of type int64")]
    [InlineData("{\"urls\":[null,5,\"a\",true]}", "cannot unmarshal number into Go struct field of type string")]
    public void Type_errors_are_go_texts(string json, string expected) => Assert.Equal(expected, Error(json));

    [Fact]
    public void Values_after_a_type_error_are_still_checked_for_syntax()
    {
        Assert.StartsWith("invalid JSON: ", Error("{\"size\":\"x\",\"a\":}"));
        Assert.StartsWith("invalid JSON: ", Error("{\"urls\":[1,}"));
    }

    [Fact]
    public void Skipped_values_of_any_shape_load()
    {
        var d = Value("{\"x\":{\"a\":[1,{\"b\":null}]},\"y\":[[]],\"z\":\"s\",\"w\":1,\"size\":3}");
        Assert.Equal(Some(3L), d.Size);
        Assert.Equal(Some(4L), Value("{\"annotations\":{\"a\":\"x\",\"b\":null},\"platform\":{\"os\":\"linux\",\"architecture\":null,\"os.version\":\"1\",\"variant\":\"v8\",\"os.features\":[\"f\",null],\"x\":{\"deep\":[1]}},\"size\":4}").Size);
        Assert.Equal(Some(5L), Value("{\"annotations\":null,\"platform\":null,\"size\":5}").Size);
        Assert.Equal(Some(6L), Value("{\"platform\":{\"os.features\":null},\"size\":6}").Size);
    }

    [Fact]
    public void Annotations_and_platform_are_unknown_keys_before_19_03()
    {
        const string json = "{\"annotations\":5,\"platform\":\"x\",\"size\":9}";
        Assert.Equal(Some(9L), Value(json, V1809).Size);
        Assert.Equal("cannot unmarshal number into Go struct field of type map[string]string", Error(json, V1903));
        Assert.Equal("cannot unmarshal string into Go struct field of type v1.Platform", Error("{\"platform\":\"x\"}", V1903));
        Assert.Equal(Some(1L), Value("{\"platform\":{\"os\":5},\"annotations\":{\"a\":[1]},\"size\":1}", V1809).Size);
    }

    [Theory]
    [InlineData("\ufeff{}", "invalid character 'ï' looking for beginning of value")]
    [InlineData("", "invalid JSON: The input does not contain any JSON tokens")]
    [InlineData("   ", "invalid JSON: The input does not contain any JSON tokens")]
    [InlineData("{} {}", "invalid JSON: '{' is invalid after a single JSON value")]
    [InlineData("{\"size\":1", "invalid JSON: '1' is an invalid end of a number")]
    public void Empty_bom_and_trailing_value_failures_have_exact_texts(string json, string expected) => Assert.Equal(expected, Error(json));

    [Theory]
    [InlineData("{} {}")]
    [InlineData("null null")]
    [InlineData("null {}")]
    [InlineData("{\"size\":1} x")]
    [InlineData("{\"size\":1,}")]
    [InlineData("{\"size\":1")]
    [InlineData("{/*c*/}")]
    [InlineData("nul")]
    public void Syntax_errors_are_invalid_json(string json) => Assert.StartsWith("invalid JSON: ", Error(json));

    [Fact]
    public void Invalid_json_keeps_only_the_first_sentence()
    {
        var e = Error("{} {}");
        Assert.DoesNotContain(". ", e);
        Assert.False(e.EndsWith(' '));
        Assert.True(e.Length > "invalid JSON: ".Length + 5);
    }

    [Fact]
    public void Nesting_over_the_limit_is_exceeded_max_depth()
    {
        static string Nested(int depth) => "{\"x\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";
        Assert.Equal("exceeded max depth", Error(Nested(10_001)));
        Assert.Equal(LayerDescriptor.Empty, Value(Nested(10_000)));
        Assert.Equal(10_000, GoDescriptorJson.MaxDepth);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("null", true)]
    [InlineData("{\"MEDIATYPE\":\"x\",\"Size\":5,\"unknown\":[1,{\"a\":null}]} \n", true)]
    [InlineData("{\"dıgest\":5}", true)]                      // dotless i does not fold: unknown key
    [InlineData("{\"urls\":[\"a\",null]}", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("[]", false)]
    [InlineData("\"x\"", false)]
    [InlineData("{} {}", false)]
    [InlineData("\ufeff{}", false)]
    [InlineData("{\"size\":1.5}", false)]
    [InlineData("{\"size\":1e3}", false)]
    [InlineData("{\"size\":\"5\"}", false)]
    [InlineData("{\"size\":\"x\",\"size\":5}", false)]        // every duplicate is decoded
    [InlineData("{\"ſize\":\"x\"}", false)]                   // U+017F folds to s
    [InlineData("{\"\u212Aey\":1,\"mediaType\":5}", false)]
    [InlineData("{\"urls\":\"a\"}", false)]
    [InlineData("{\"size\":9223372036854775808}", false)]
    [InlineData("{", false)]
    public void Descriptor_follows_go_encoding_json(string json, bool loads) =>
        Assert.Equal(loads, GoDescriptorJson.Decode(Encoding.UTF8.GetBytes(json), V29).IsRight);

    [Fact]
    public void Descriptor_nesting_limit_is_10000()
    {
        static byte[] Nested(int depth) =>
            Encoding.ASCII.GetBytes("{\"x\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}");
        Assert.True(GoDescriptorJson.Decode(Nested(10_000), V29).IsRight);
        Assert.True(GoDescriptorJson.Decode(Nested(10_001), V29).IsLeft);
    }

    [Fact]
    public void Descriptor_platform_and_annotations_are_typed_from_19_03()
    {
        var bad = Encoding.ASCII.GetBytes("{\"annotations\":5}");
        Assert.True(GoDescriptorJson.Decode(bad, V29).IsLeft);
        Assert.True(GoDescriptorJson.Decode(bad, V1806).IsRight);
    }
}

/// <summary>Keys fold as encoding/json matches them: ASCII case, and the two non-ASCII letters that fold to ASCII.</summary>
public class GoJsonKeyFoldTests
{
    private static (string Folded, bool IsNetworkMode) KeyOf(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        reader.Read();
        return (GoDescriptorJson.FoldedKey(ref reader), GoDescriptorJson.KeyFoldsTo(ref reader, "networkmode"));
    }

    [Theory]
    [InlineData("{\"NetworkMode\":1}", "networkmode", true)]
    [InlineData("{\"networkmode\":1}", "networkmode", true)]
    [InlineData("{\"Network\\u004Dode\":1}", "networkmode", true)]
    [InlineData("{\"Networ\u212Amode\":1}", "networkmode", true)]
    [InlineData("{\"Networ\\u212Amode\":1}", "networkmode", true)]
    [InlineData("{\"NetworkModes\":1}", "networkmodes", false)]
    [InlineData("{\"NetworkMod\":1}", "networkmod", false)]
    [InlineData("{\"\u017Fize\":1}", "size", false)]
    [InlineData("{\"ID\":1}", "id", false)]
    [InlineData("{\"NetworkMide\":1}", "networkmide", false)]
    [InlineData("{\"\\u0041\\u005A\\u0040\\u005B\":1}", "az@[", false)]
    public void A_key_folds_as_encoding_json_matches_it(string json, string folded, bool isNetworkMode)
    {
        Assert.Equal((folded, isNetworkMode), KeyOf(json));
    }
}
