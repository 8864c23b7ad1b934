using System.Text;
using LanguageExt;
using LayerFunctional.Go;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Go;

/// <summary>Go's decoder for config.v2.json and hostconfig.json (container/container.go FromDisk, readHostConfig): what it
/// accepts and rejects, Go's type errors for every serialised field of container.Container, and which error a decode reports.</summary>
public class GoContainerJsonTests
{
    private static ContainerConfigFields Fields(string json) =>
        GoContainerJson.Decode(Encoding.UTF8.GetBytes(json)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static string Error(string json) =>
        GoContainerJson.Decode(Encoding.UTF8.GetBytes(json)).Match(Right: f => throw new Xunit.Sdk.XunitException($"decoded: {f}"), Left: e => e);

    [Theory]
    [InlineData("", "EOF")]
    [InlineData(" \n\t", "EOF")]
    [InlineData("[1]", "json: cannot unmarshal array into Go value of type container.Container")]
    [InlineData("\"x\"", "json: cannot unmarshal string into Go value of type container.Container")]
    [InlineData("\uFEFF{}", "invalid character 'ï' looking for beginning of value")]
    [InlineData("{\"ID\":5}", "json: cannot unmarshal number into Go struct field Container.ID of type string")]
    [InlineData("{\"Config\":[]}", "json: cannot unmarshal array into Go struct field Container.Config of type struct")]
    [InlineData("{\"RestartCount\":1.5}", "json: cannot unmarshal number into Go struct field Container.RestartCount of type int")]
    [InlineData("{\"Managed\":\"yes\"}", "json: cannot unmarshal string into Go struct field Container.Managed of type bool")]
    [InlineData("{\"Created\":\"yesterday\"}", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse")]
    public void What_go_rejects(string json, string error) => Assert.Equal(error, Error(json));

    [Theory]
    [InlineData("{\"ID\":")]
    [InlineData("{\"ID\":\"a\"")]
    [InlineData("[")]
    public void Input_that_ends_inside_the_value_is_an_unexpected_eof(string json) => Assert.Equal("unexpected EOF", Error(json));

    [Fact]
    public void Nesting_deeper_than_go_allows_exceeds_the_max_depth() =>
        Assert.Equal("exceeded max depth", Error("{\"Config\":" + new string('[', 10_001) + new string(']', 10_001) + "}"));

    [Fact]
    public void The_decoder_reads_one_value_and_nothing_after_it() =>
        Assert.Equal(new ContainerConfigFields("a", "/n", "overlay2", "linux", "", true, true),
            Fields("{\"ID\":\"a\",\"Name\":\"/n\",\"Driver\":\"overlay2\",\"Config\":{}} trailing { garbage"));

    [Fact]
    public void Keys_match_case_insensitively_and_the_last_one_wins() =>
        Assert.Equal(new ContainerConfigFields("b", "", "", "linux", "", false, true), Fields("{\"id\":\"a\",\"ID\":\"b\",\"config\":{},\"Config\":null}"));

    [Fact]
    public void A_null_state_is_nil_and_an_absent_one_is_the_base_containers() =>
        Assert.Equal((false, true), (Fields("{\"State\":null,\"Config\":{}}").HasState, Fields("{\"Config\":{}}").HasState));

    [Fact]
    public void Null_leaves_every_field_empty_and_os_becomes_linux() =>
        Assert.Equal(new ContainerConfigFields("", "", "", "linux", "", false, true), Fields("null"));

    [Fact]
    public void Invalid_utf8_becomes_the_replacement_character() =>
        Assert.Equal("/x\uFFFD", GoContainerJson.Decode([.. "{\"Name\":\"/x"u8, 0xff, .. "\"}"u8]).Map(f => f.Name).IfLeft(""));

    [Theory]
    [InlineData("{}", "")]
    [InlineData("null", null)]
    [InlineData("{} [", "")]
    [InlineData("{\"networkmode\":\"bridge\",\"NetworkMode\":\"default\"}", "default")]
    [InlineData("{\"NetworkMode\":null,\"Dns\":[]}", "")]
    public void A_host_config_is_set_with_its_network_mode_or_nil(string json, string? networkMode) =>
        Assert.Equal(Optional(networkMode), GoContainerJson.DecodeHostConfig(Encoding.UTF8.GetBytes(json)).IfLeft(e => throw new Xunit.Sdk.XunitException(e))
            .Map(h => h.NetworkMode));

    [Fact]
    public void Network_settings_are_there_only_as_an_object() =>
        Assert.Equal((true, false, false),
            (Fields("{\"NetworkSettings\":{}}").HasNetworkSettings, Fields("{\"NetworkSettings\":{},\"NetworkSettings\":null}").HasNetworkSettings,
             Fields("{}").HasNetworkSettings));

    [Theory]
    [InlineData("[]", "json: cannot unmarshal array into Go value of type container.HostConfig")]
    [InlineData("{\"NetworkMode\":1}", "json: cannot unmarshal number into Go struct field HostConfig.NetworkMode of type container.NetworkMode")]
    [InlineData("", "EOF")]
    public void What_go_rejects_in_a_host_config(string json, string error) =>
        Assert.Equal(error, GoContainerJson.DecodeHostConfig(Encoding.UTF8.GetBytes(json)).Match(Right: h => $"decoded {h}", Left: e => e));

    private static string ErrorOrDecoded(string json) =>
        GoContainerJson.Decode(Encoding.UTF8.GetBytes(json)).Match(Right: f => $"decoded: {f}", Left: e => e);

    [Theory]
    [InlineData("ID", "string")] [InlineData("Path", "string")] [InlineData("Image", "string")] [InlineData("LogPath", "string")]
    [InlineData("Name", "string")] [InlineData("Driver", "string")] [InlineData("OS", "string")] [InlineData("MountLabel", "string")]
    [InlineData("ProcessLabel", "string")] [InlineData("AppArmorProfile", "string")] [InlineData("HostnamePath", "string")]
    [InlineData("HostsPath", "string")] [InlineData("ShmPath", "string")] [InlineData("ResolvConfPath", "string")]
    [InlineData("SeccompProfile", "string")] [InlineData("NetworkSharedContainerID", "string")]
    [InlineData("Managed", "bool")] [InlineData("HasBeenStartedBefore", "bool")] [InlineData("HasBeenManuallyStopped", "bool")]
    [InlineData("NoNewPrivileges", "bool")] [InlineData("RestartCount", "int")] [InlineData("Created", "time.Time")]
    [InlineData("StreamConfig", "struct")] [InlineData("State", "struct")] [InlineData("Config", "struct")] [InlineData("NetworkSettings", "struct")]
    [InlineData("MountPoints", "struct")] [InlineData("LocalLogCacheMeta", "struct")]
    [InlineData("Args", "slice")] [InlineData("SecretReferences", "slice")] [InlineData("ConfigReferences", "slice")] [InlineData("SharedEndpointList", "slice")]
    public void A_wrong_kind_for_a_field_names_it(string field, string type)
    {
        var wrong = type is "string" or "time.Time" ? "[]" : "\"x\"";
        Assert.Equal($"json: cannot unmarshal {(wrong == "[]" ? "array" : "string")} into Go struct field Container.{field} of type {type}",
            ErrorOrDecoded("{\"" + field.ToLowerInvariant() + "\":" + wrong + "}"));
    }

    [Fact]
    public void The_first_error_is_the_one_reported() =>
        Assert.Equal("json: cannot unmarshal number into Go struct field Container.ID of type string", ErrorOrDecoded("{\"ID\":5,\"Name\":6,\"Created\":\"x\"}"));

    [Fact]
    public void A_bad_time_after_a_type_error_does_not_replace_it() =>
        Assert.Equal("json: cannot unmarshal bool into Go struct field Container.Managed of type bool".Replace("bool into", "string into", StringComparison.Ordinal),
            ErrorOrDecoded("{\"Managed\":\"y\",\"Created\":\"x\"}"));

    [Fact]
    public void A_state_set_again_after_null_is_there() =>
        Assert.True(GoContainerJson.Decode("{\"State\":null,\"State\":{}}"u8).Map(f => f.HasState).IfLeft(false));

    [Fact]
    public void Nesting_of_a_few_hundred_levels_decodes_as_in_go() =>
        Assert.True(GoContainerJson.Decode(Encoding.UTF8.GetBytes("{\"Config\":{\"Labels\":" + new string('[', 300) + new string(']', 300) + "}}")).IsRight);

    [Theory]
    [InlineData("{\"ID\" 1}")]
    [InlineData("{\"ID\":tru}")]
    public void A_syntax_error_is_invalid_json(string json) => Assert.StartsWith("invalid JSON: ", ErrorOrDecoded(json), StringComparison.Ordinal);

    [Fact]
    public void Values_most_containers_share_are_one_instance_and_others_are_kept_as_decoded()
    {
        var fields = Fields("{\"ID\":\"c1\",\"Driver\":\"overlay2\",\"OS\":\"linux\"}");
        Assert.Same("overlay2", fields.Driver.Value);
        Assert.Same("linux", fields.OS);
        Assert.Same("linux", Fields("{}").OS);
        var odd = Fields("{\"Driver\":\"overlay\"}");
        Assert.Equal("overlay", odd.Driver);
        Assert.Same("none", GoContainerJson.DecodeHostConfig(Encoding.UTF8.GetBytes("{\"NetworkMode\":\"none\"}"))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e)).IfNone(() => throw new Xunit.Sdk.XunitException("nil")).NetworkMode);
    }
}
