using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Go;
using LayerFunctional.Snapshot;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests;

/// <summary>Go's decoder for config.v2.json and hostconfig.json (container/container.go FromDisk, readHostConfig).</summary>
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
}

/// <summary>moby's container restore (daemon/daemon.go restore) over a generated root with one container.</summary>
public class ContainerRestoreTests
{
    private static readonly GeneratedRoot Model = RootGenerator.Generate(21, new GeneratorOptions(4, 1, 1));
    private static readonly GeneratedMount Mount = Model.Mounts.Head;
    private static readonly string Config = $"containers/{Mount.Name}/config.v2.json";
    private static readonly string HostConfig = $"containers/{Mount.Name}/hostconfig.json";

    private static CheckReport Check(GeneratedRoot root, string moby = "29.0") =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), None), root)
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static GeneratedRoot WithConfig(Func<string, string> change) =>
        Model.With(new GeneratedEntry.File(Config, Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(Model.FileAt(Config).IfNone([]))))));

    private static (string Kind, string Path)[] Problems(CheckReport r) => [.. r.Problems.Map(p => (p.Kind.Id(), p.Path))];

    private static ContainerFate Fate(CheckReport r) => r.Containers.Find(Mount.Name).Map(c => c.Fate).IfNone(() => throw new Xunit.Sdk.XunitException("no container"));

    [Fact]
    public void A_generated_container_is_restored_and_listed()
    {
        var r = Check(Model, "20.10");
        Assert.Empty(r.Problems);
        Assert.Equal(ContainerFate.Restored, Fate(r));
        Assert.Equal(new ContainerInfo(Mount.Name, Some("/c0"), Some(Mount.Image), Some("overlay2")) { Fate = ContainerFate.Restored }, r.Containers[Mount.Name]);
    }

    [Theory]
    [InlineData("", "config.v2.json: EOF")]
    [InlineData("[1]", "config.v2.json: json: cannot unmarshal array into Go value of type container.Container")]
    [InlineData("\uFEFF{}", "config.v2.json: invalid character 'ï' looking for beginning of value")]
    public void A_config_go_cannot_decode_skips_the_container(string config, string message)
    {
        var r = Check(Model.With(new GeneratedEntry.File(Config, Encoding.UTF8.GetBytes(config))));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal(message, r.Problems.Head.Message);
        Assert.Equal((ContainerFate.NotLoaded, Outcome.Loaded), (Fate(r), r.Outcome));
    }

    [Fact]
    public void A_null_config_decodes_with_an_empty_id_which_is_not_the_folders()
    {
        var r = Check(Model.With(new GeneratedEntry.File(Config, "null"u8.ToArray())));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal($"config.v2.json has ID \"\": moby's 'Container  is stored at {Mount.Name}'", r.Problems.Head.Message);
    }

    [Fact]
    public void A_config_without_config_object_crashes_the_daemon_in_register()
    {
        var r = Check(WithConfig(c => c.Replace("\"Config\":{", "\"Unused\":{", StringComparison.Ordinal)), "20.10");
        Assert.Equal([("container_crashes_daemon", Config)], Problems(r));
        Assert.Equal("config.v2.json has no \"Config\" object: moby's Daemon.Register dereferences the nil Config (daemon/container.go)", r.Problems.Head.Message);
        Assert.Equal((ContainerFate.CrashesDaemon, Outcome.DaemonCrashes, 1), (Fate(r), r.Outcome, r.ExitCode));
    }

    [Theory]
    [InlineData("17.06")]
    [InlineData("20.10")]
    [InlineData("29.4")]
    public void A_null_state_crashes_the_daemon(string moby)
    {
        var r = Check(WithConfig(c => c.Replace("\"State\":{", "\"State\":null,\"Unused\":{", StringComparison.Ordinal)), moby);
        Assert.Equal([("container_crashes_daemon", Config)], Problems(r));
        Assert.Equal(Outcome.DaemonCrashes, r.Outcome);
    }

    [Fact]
    public void A_null_host_config_crashes_the_daemon_while_loading_even_for_another_driver()
    {
        var r = Check(WithConfig(c => c.Replace("\"Driver\":\"overlay2\"", "\"Driver\":\"btrfs\"", StringComparison.Ordinal))
            .With(new GeneratedEntry.File(HostConfig, "null"u8.ToArray())), "20.10");
        Assert.Contains(("container_crashes_daemon", HostConfig), Problems(r));
        Assert.Equal(Outcome.DaemonCrashes, r.Outcome);
    }

    [Fact]
    public void A_host_config_go_cannot_decode_skips_the_container()
    {
        var r = Check(Model.With(new GeneratedEntry.File(HostConfig, "[]"u8.ToArray())));
        Assert.Equal([("container_host_config_invalid", HostConfig)], Problems(r));
        Assert.Equal(ContainerFate.NotLoaded, Fate(r));
    }

    [Fact]
    public void An_absent_host_config_is_an_empty_one()
    {
        var r = Check(Model.Without(HostConfig));
        Assert.Equal((0, ContainerFate.Restored), (r.Problems.Count, Fate(r)));
    }

    [Fact]
    public void A_config_stored_under_another_id_is_skipped()
    {
        var r = Check(WithConfig(c => c.Replace($"\"ID\":\"{Mount.Name}\"", "\"ID\":\"elsewhere\"", StringComparison.Ordinal)));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal($"config.v2.json has ID \"elsewhere\": moby's 'Container elsewhere is stored at {Mount.Name}'", r.Problems.Head.Message);
    }

    [Theory]
    [InlineData("17.06", ContainerFate.Restored)]
    [InlineData("20.10", ContainerFate.NotLoaded)]
    [InlineData("23.0", ContainerFate.NotLoaded)]
    [InlineData("24.0", ContainerFate.Restored)]
    public void Releases_18_02_to_23_skip_a_container_of_another_os(string moby, ContainerFate fate) =>
        Assert.Equal(fate, Fate(Check(WithConfig(c => c.Replace("\"OS\":\"linux\"", "\"OS\":\"windows\"", StringComparison.Ordinal)), moby)));

    [Fact]
    public void A_container_of_another_driver_is_ignored_without_a_problem()
    {
        var r = Check(WithConfig(c => c.Replace("\"Driver\":\"overlay2\"", "\"Driver\":\"btrfs\"", StringComparison.Ordinal)));
        Assert.Equal((0, ContainerFate.OtherDriver, false), (r.Problems.Count, Fate(r), r.Containers[Mount.Name].Listed));
    }

    [Theory]
    [InlineData("29.3", ContainerFate.MountNotLoaded, false)]
    [InlineData("29.4", ContainerFate.KeptWithoutMount, true)]
    public void A_container_whose_mount_is_gone_is_dropped_or_kept(string moby, ContainerFate fate, bool listed)
    {
        var r = Check(Model.Without(Mount.Folder), moby);
        Assert.Contains(("container_without_mount", "containers/" + Mount.Name), Problems(r));
        Assert.Equal((fate, listed), (Fate(r), r.Containers[Mount.Name].Listed));
    }

    [Fact]
    public void Two_containers_with_one_name_are_both_named_and_one_is_restored()
    {
        var model = Corrupters.Generate(4, new GeneratorOptions(4, 0, 1), Seq1(ProblemKind.ContainerNameConflict)).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var r = Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        Assert.Equal(model.Expected.Problems.Map(p => (p.Kind.Id(), p.Path)), r.Problems.Map(p => (p.Kind.Id(), p.Path)));
        Assert.Equal(2, r.Containers.Values.Count(c => c.Fate == ContainerFate.NameConflict));
        Assert.Equal("2 containers are named \"/c0\"", r.Problems.Head.Message);
    }

    [Fact]
    public void A_config_that_is_a_folder_a_link_out_or_too_large_names_why()
    {
        string MessageFor(GeneratedRoot broken) => Check(broken).Problems.Filter(p => p.Kind == ProblemKind.ContainerConfigInvalid).Map(p => p.Message).Single();
        Assert.Equal("config.v2.json cannot be read: it is a directory", MessageFor(Model.Without(Config).With(new GeneratedEntry.Folder(Config))));
        Assert.Equal("config.v2.json cannot be read: it is a symbolic link out of the docker root (/etc/hostname)",
            MessageFor(Model.Without(Config).With(new GeneratedEntry.Link(Config, "/etc/hostname"))));
        Assert.Equal($"config.v2.json cannot be read: {DockerRootReader.ConfigCap + 1} bytes, over the cap",
            MessageFor(Model.With(new GeneratedEntry.File(Config, new byte[DockerRootReader.ConfigCap + 1]))));
    }

    [Fact]
    public void A_container_folder_without_config_skips_the_container()
    {
        var r = Check(Model.Without(Config).Without(HostConfig).With(new GeneratedEntry.Folder($"containers/{Mount.Name}")));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal("config.v2.json is missing", r.Problems.Head.Message);
    }
}

/// <summary>Go's type errors for every serialised field of container.Container, and which error a decode reports.</summary>
public class GoContainerJsonFieldTests
{
    private static string Error(string json) =>
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
            Error("{\"" + field.ToLowerInvariant() + "\":" + wrong + "}"));
    }

    [Fact]
    public void The_first_error_is_the_one_reported() =>
        Assert.Equal("json: cannot unmarshal number into Go struct field Container.ID of type string", Error("{\"ID\":5,\"Name\":6,\"Created\":\"x\"}"));

    [Fact]
    public void A_bad_time_after_a_type_error_does_not_replace_it() =>
        Assert.Equal("json: cannot unmarshal bool into Go struct field Container.Managed of type bool".Replace("bool into", "string into", StringComparison.Ordinal),
            Error("{\"Managed\":\"y\",\"Created\":\"x\"}"));

    [Fact]
    public void A_state_set_again_after_null_is_there() =>
        Assert.True(GoContainerJson.Decode("{\"State\":null,\"State\":{}}"u8).Map(f => f.HasState).IfLeft(false));

    [Fact]
    public void Nesting_of_a_few_hundred_levels_decodes_as_in_go() =>
        Assert.True(GoContainerJson.Decode(Encoding.UTF8.GetBytes("{\"Config\":{\"Labels\":" + new string('[', 300) + new string(']', 300) + "}}")).IsRight);

    [Theory]
    [InlineData("{\"ID\" 1}")]
    [InlineData("{\"ID\":tru}")]
    public void A_syntax_error_is_invalid_json(string json) => Assert.StartsWith("invalid JSON: ", Error(json), StringComparison.Ordinal);
}

/// <summary>The wording of every container problem, pinned once (ContainerRestore.Run on snapshots).</summary>
public class ContainerRestoreWordingTests
{
    private const string Db = "image/overlay2/layerdb";
    private static readonly MobyVersion V2010 = MobyVersion.Parse("20.10").IfLeft(e => throw new ArgumentException(e));

    private static string Config(string id, string name = "/n", string extra = "") =>
        "{\"ID\":\"" + id + "\",\"Name\":\"" + name + "\",\"Driver\":\"overlay2\",\"Config\":{}" + extra + "}";

    private static ContainerConfigFile Folder(string id, string config, string? hostConfig = null) =>
        new(id, Some((LayerFunctional.Snapshot.RawFile)new LayerFunctional.Snapshot.RawFile.Content(Encoding.UTF8.GetBytes(config))))
        {
            HostConfig = hostConfig is null ? None : Some((LayerFunctional.Snapshot.RawFile)new LayerFunctional.Snapshot.RawFile.Content(Encoding.UTF8.GetBytes(hostConfig))),
        };

    private static ContainerRestoreResult Run(params ContainerConfigFile[] folders) =>
        ContainerRestore.Run(V2010, "overlay2", Db, folders.Map(f => f.Id).ToSeq(), folders.Map(f => f.Id).ToSeq(), Some(folders.ToSeq()));

    private static Problem P(ProblemKind kind, string path, string id, string message, string consequence) =>
        new(kind, Severity.Error, path, None, Some(id), None, message, consequence);

    private const string Skips = "moby skips the container at start-up ('failed to load container')";
    private const string Panics = "the daemon panics while restoring containers and does not start until this folder is fixed or moved away";

    [Fact]
    public void Every_container_problem_says_what_moby_does()
    {
        var r = Run(
            Folder("a", Config("a"), "[]"),
            Folder("b", Config("b"), "null"),
            Folder("c", Config("c", extra: ",\"OS\":\"windows\"")),
            Folder("d", Config("d", extra: ",\"State\":null")),
            Folder("e", "{\"ID\":\"e\",\"Name\":\"/e\",\"Driver\":\"overlay2\"}"),
            Folder("f", Config("f", "/twin")),
            Folder("g", "{\"ID\":\"g\",\"Name\":\"/twin\",\"Driver\":\"overlay2\"}"),
            Folder("h", "x"));
        Assert.Equal(Seq(
            P(ProblemKind.ContainerHostConfigInvalid, "containers/a/hostconfig.json", "a",
                "hostconfig.json: json: cannot unmarshal array into Go value of type container.HostConfig", Skips),
            P(ProblemKind.ContainerCrashesDaemon, "containers/b/hostconfig.json", "b",
                "hostconfig.json holds null: moby's InitDNSHostConfig dereferences the nil host config (container/container.go)",
                "the daemon panics while loading containers and does not start until this folder is fixed or moved away"),
            P(ProblemKind.ContainerConfigInvalid, "containers/c/config.v2.json", "c", "config.v2.json has OS \"windows\": the operating system is not supported", Skips),
            P(ProblemKind.ContainerCrashesDaemon, "containers/d/config.v2.json", "d",
                "config.v2.json has \"State\": null: moby's restore calls IsRunning on the nil state (daemon/daemon.go)", Panics),
            P(ProblemKind.ContainerConfigInvalid, "containers/h/config.v2.json", "h", "config.v2.json: invalid JSON: 'x' is an invalid start of a value", Skips),
            P(ProblemKind.ContainerNameConflict, "containers/f/config.v2.json", "f", "2 containers are named \"/twin\"",
                "moby restores whichever registers the name first and drops the others ('failed to register container name')"),
            P(ProblemKind.ContainerNameConflict, "containers/g/config.v2.json", "g", "2 containers are named \"/twin\"",
                "moby restores whichever registers the name first and drops the others ('failed to register container name')"),
            P(ProblemKind.ContainerCrashesDaemon, "containers/e/config.v2.json", "e",
                "config.v2.json has no \"Config\" object: moby's Daemon.Register dereferences the nil Config (daemon/container.go)", Panics),
            P(ProblemKind.ContainerCrashesDaemon, "containers/g/config.v2.json", "g",
                "config.v2.json has no \"Config\" object: moby's Daemon.Register dereferences the nil Config (daemon/container.go)",
                "if it registers its name first, " + Panics)),
            r.Problems);
        Assert.True(r.DaemonCrashes);
        Assert.Equal(Seq("a", "b", "c", "d", "e", "f", "g", "h"), r.Containers.Map(c => c.Id));
        Assert.Equal(Seq(ContainerFate.NotLoaded, ContainerFate.CrashesDaemon, ContainerFate.NotLoaded, ContainerFate.CrashesDaemon,
            ContainerFate.CrashesDaemon, ContainerFate.NameConflict, ContainerFate.CrashesDaemon, ContainerFate.NotLoaded), r.Containers.Map(c => c.Fate));
    }

    [Theory]
    [InlineData("26.1", false)]
    [InlineData("27.0", true)]
    [InlineData("29.4", true)]
    public void From_27_no_network_settings_with_the_default_network_mode_crashes(string moby, bool crashes)
    {
        var folders = Seq(Folder("a", Config("a", "/a"), "{\"NetworkMode\":\"default\"}"), Folder("b", Config("b", "/b"), "{\"NetworkMode\":\"none\"}"),
            Folder("c", Config("c", "/c", ",\"NetworkSettings\":{}"), "{\"NetworkMode\":\"default\"}"));
        var r = ContainerRestore.Run(MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), "overlay2", Db,
            folders.Map(f => f.Id), folders.Map(f => f.Id), Some(folders));
        Assert.Equal(crashes, r.DaemonCrashes);
        Assert.Equal(crashes
                ? Seq1(P(ProblemKind.ContainerCrashesDaemon, "containers/a/config.v2.json", "a",
                    "config.v2.json has no \"NetworkSettings\" object and hostconfig.json's NetworkMode is \"default\": the restore migrates the default network through the nil NetworkSettings (daemon/daemon.go)",
                    Panics))
                : Empty,
            r.Problems);
    }

    [Fact]
    public void Restored_containers_come_sorted_and_nothing_crashes()
    {
        var r = Run(Folder("z", Config("z", "/z")), Folder("b", Config("b", "/b")), Folder("m", Config("m", "/m")));
        Assert.Equal((Seq("b", "m", "z"), false, 0), (r.Containers.Map(c => c.Id), r.DaemonCrashes, r.Problems.Count));
    }
}
