using System.Text;
using LanguageExt;
using LayerFunctional.Diagnostics;
using LayerFunctional.Drivers;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Go;
using LayerFunctional.Graph;
using LayerFunctional.Snapshot;
using LayerFunctional.Tests.Support;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>moby's container restore (daemon/daemon.go restore, layer-store.md §7.3): over a generated root with one container,
/// the wording of every container problem (ContainerRestore.Run on snapshots), and containers matched to mounts by name.</summary>
public class ContainerRestoreTests : RootChecksFixture
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

    private static readonly MobyVersion V2010 = MobyVersion.Parse("20.10").IfLeft(e => throw new ArgumentException(e));

    private static string ConfigJson(string id, string name = "/n", string extra = "") =>
        "{\"ID\":\"" + id + "\",\"Name\":\"" + name + "\",\"Driver\":\"overlay2\",\"Config\":{}" + extra + "}";

    private static ContainerConfigFile Folder(string id, string config, string? hostConfig = null) =>
        new(id, Some((LayerFunctional.Snapshot.RawFile)new LayerFunctional.Snapshot.RawFile.Content(Encoding.UTF8.GetBytes(config))))
        {
            HostConfig = hostConfig is null ? None : Some((LayerFunctional.Snapshot.RawFile)new LayerFunctional.Snapshot.RawFile.Content(Encoding.UTF8.GetBytes(hostConfig))),
        };

    private static ContainerRestoreResult Run(params ContainerConfigFile[] folders) =>
        ContainerRestore.Run(V2010, "overlay2", Db, folders.Map(f => f.Id).ToSeq(), folders.Map(f => f.Id).ToSeq(), Some(folders.ToSeq()));

    private static Problem P(ProblemKind kind, string path, string id, Fact fact) => new(kind, Severity.Error, path, None, Some<MountName>(id), None, fact);

    [Fact]
    public void A_generated_container_is_restored_and_listed()
    {
        var r = Check(Model, "20.10");
        Assert.Empty(r.Problems);
        Assert.Equal(ContainerFate.Restored, Fate(r));
        Assert.Equal(new ContainerInfo(Mount.Name, Some("/c0"), Some(Mount.Image), Some<DriverName>("overlay2")) { Fate = ContainerFate.Restored }, r.Containers[Mount.Name]);
    }

    [Theory]
    [InlineData("", "config.v2.json: EOF")]
    [InlineData("[1]", "config.v2.json: json: cannot unmarshal array into Go value of type container.Container")]
    [InlineData("\uFEFF{}", "config.v2.json: invalid character 'ï' looking for beginning of value")]
    public void A_config_go_cannot_decode_skips_the_container(string config, string message)
    {
        var r = Check(Model.With(new GeneratedEntry.File(Config, Encoding.UTF8.GetBytes(config))));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal(new Fact.ContainerConfigFault(message), r.Problems.Head.Fact);
        Assert.Equal((ContainerFate.NotLoaded, Outcome.Loaded), (Fate(r), r.Outcome));
    }

    [Fact]
    public void A_null_config_decodes_with_an_empty_id_which_is_not_the_folders()
    {
        var r = Check(Model.With(new GeneratedEntry.File(Config, "null"u8.ToArray())));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal(new Fact.ContainerIdMismatch("", Mount.Name), r.Problems.Head.Fact);
    }

    [Fact]
    public void A_config_without_config_object_crashes_the_daemon_in_register()
    {
        var r = Check(WithConfig(c => c.Replace("\"Config\":{", "\"Unused\":{", StringComparison.Ordinal)), "20.10");
        Assert.Equal([("container_crashes_daemon", Config)], Problems(r));
        Assert.Equal(new Fact.ContainerCrashesDaemon(DaemonPanic.NoConfigObject, IfRegistersFirst: false), r.Problems.Head.Fact);
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
        Assert.Equal(new Fact.ContainerIdMismatch("elsewhere", Mount.Name), r.Problems.Head.Fact);
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
        Assert.Equal(new Fact.ContainerNameConflict(2, "/c0"), r.Problems.Head.Fact);
    }

    [Fact]
    public void A_config_that_is_a_folder_a_link_out_or_too_large_names_why()
    {
        Fact FactFor(GeneratedRoot broken) => Check(broken).Problems.Filter(p => p.Kind == ProblemKind.ContainerConfigInvalid).Map(p => p.Fact).Single();
        Fact Fault(string error) => new Fact.ContainerConfigFault(error);
        Assert.Equal(Fault("config.v2.json cannot be read: it is a directory"), FactFor(Model.Without(Config).With(new GeneratedEntry.Folder(Config))));
        Assert.Equal(Fault("config.v2.json cannot be read: it is a symbolic link out of the docker root (/etc/hostname)"),
            FactFor(Model.Without(Config).With(new GeneratedEntry.Link(Config, "/etc/hostname"))));
        Assert.Equal(Fault($"config.v2.json cannot be read: {DockerRootReader.ConfigCap + 1} bytes, over the cap"),
            FactFor(Model.With(new GeneratedEntry.File(Config, new byte[DockerRootReader.ConfigCap + 1]))));
    }

    [Fact]
    public void A_container_folder_without_config_skips_the_container()
    {
        var r = Check(Model.Without(Config).Without(HostConfig).With(new GeneratedEntry.Folder($"containers/{Mount.Name}")));
        Assert.Equal([("container_config_invalid", Config)], Problems(r));
        Assert.Equal(new Fact.ContainerConfigFault("config.v2.json is missing"), r.Problems.Head.Fact);
    }

    [Fact]
    public void Every_container_problem_says_what_moby_does()
    {
        var r = Run(
            Folder("a", ConfigJson("a"), "[]"),
            Folder("b", ConfigJson("b"), "null"),
            Folder("c", ConfigJson("c", extra: ",\"OS\":\"windows\"")),
            Folder("d", ConfigJson("d", extra: ",\"State\":null")),
            Folder("e", "{\"ID\":\"e\",\"Name\":\"/e\",\"Driver\":\"overlay2\"}"),
            Folder("f", ConfigJson("f", "/twin")),
            Folder("g", "{\"ID\":\"g\",\"Name\":\"/twin\",\"Driver\":\"overlay2\"}"),
            Folder("h", "x"));
        Assert.Equal(Seq(
            P(ProblemKind.ContainerHostConfigInvalid, "containers/a/hostconfig.json", "a",
                new Fact.ContainerConfigFault("hostconfig.json: json: cannot unmarshal array into Go value of type container.HostConfig")),
            P(ProblemKind.ContainerCrashesDaemon, "containers/b/hostconfig.json", "b", new Fact.ContainerCrashesDaemon(DaemonPanic.NullHostConfig, false)),
            P(ProblemKind.ContainerConfigInvalid, "containers/c/config.v2.json", "c", new Fact.ContainerOsUnsupported("windows")),
            P(ProblemKind.ContainerCrashesDaemon, "containers/d/config.v2.json", "d", new Fact.ContainerCrashesDaemon(DaemonPanic.NullStateAtRestore, false)),
            P(ProblemKind.ContainerConfigInvalid, "containers/h/config.v2.json", "h",
                new Fact.ContainerConfigFault("config.v2.json: invalid JSON: 'x' is an invalid start of a value")),
            P(ProblemKind.ContainerNameConflict, "containers/f/config.v2.json", "f", new Fact.ContainerNameConflict(2, "/twin")),
            P(ProblemKind.ContainerNameConflict, "containers/g/config.v2.json", "g", new Fact.ContainerNameConflict(2, "/twin")),
            P(ProblemKind.ContainerCrashesDaemon, "containers/e/config.v2.json", "e", new Fact.ContainerCrashesDaemon(DaemonPanic.NoConfigObject, false)),
            P(ProblemKind.ContainerCrashesDaemon, "containers/g/config.v2.json", "g", new Fact.ContainerCrashesDaemon(DaemonPanic.NoConfigObject, IfRegistersFirst: true))),
            r.Problems);
        Assert.True(r.DaemonCrashes);
        Assert.Equal(Seq<MountName>("a", "b", "c", "d", "e", "f", "g", "h"), r.Containers.Map(c => c.Id));
        Assert.Equal(Seq(ContainerFate.NotLoaded, ContainerFate.CrashesDaemon, ContainerFate.NotLoaded, ContainerFate.CrashesDaemon,
            ContainerFate.CrashesDaemon, ContainerFate.NameConflict, ContainerFate.CrashesDaemon, ContainerFate.NotLoaded), r.Containers.Map(c => c.Fate));
    }

    [Theory]
    [InlineData("26.1", false)]
    [InlineData("27.0", true)]
    [InlineData("29.4", true)]
    public void From_27_no_network_settings_with_the_default_network_mode_crashes(string moby, bool crashes)
    {
        var folders = Seq(Folder("a", ConfigJson("a", "/a"), "{\"NetworkMode\":\"default\"}"), Folder("b", ConfigJson("b", "/b"), "{\"NetworkMode\":\"none\"}"),
            Folder("c", ConfigJson("c", "/c", ",\"NetworkSettings\":{}"), "{\"NetworkMode\":\"default\"}"));
        var r = ContainerRestore.Run(MobyVersion.Parse(moby).IfLeft(e => throw new ArgumentException(e)), "overlay2", Db,
            folders.Map(f => f.Id), folders.Map(f => f.Id), Some(folders));
        Assert.Equal(crashes, r.DaemonCrashes);
        Assert.Equal(crashes
                ? Seq1(P(ProblemKind.ContainerCrashesDaemon, "containers/a/config.v2.json", "a", new Fact.ContainerCrashesDaemon(DaemonPanic.NilNetworkSettings, false)))
                : Empty,
            r.Problems);
    }

    [Fact]
    public void Restored_containers_come_sorted_and_nothing_crashes()
    {
        var r = Run(Folder("z", ConfigJson("z", "/z")), Folder("b", ConfigJson("b", "/b")), Folder("m", ConfigJson("m", "/m")));
        Assert.Equal((Seq<MountName>("b", "m", "z"), false, 0), (r.Containers.Map(c => c.Id), r.DaemonCrashes, r.Problems.Count));
    }

    [Fact]
    public void Containers_and_mounts_are_matched_by_name()
    {
        var s = Build();
        var root = RootSnapshot.Empty("overlay2") with
        {
            Containers = Some(Seq(
                Container("m", Cfg("m", "\"Name\":\"/web\",\"Image\":\"sha256:i\",\"Driver\":\"overlay2\"")),
                Container("lost1", Cfg("lost1", "\"Name\":\"/db\",\"Driver\":\"overlay2\"")),
                Container("0123456789abcdef", Cfg("0123456789abcdef", "\"Driver\":\"overlay2\"")),
                Container("aufsbox", Cfg("aufsbox", "\"Driver\":\"aufs\"")),
                Container("blank", Cfg("blank", "\"Driver\":\"\"")),
                Container("moved", "{\"ID\":\"other\",\"Driver\":\"overlay2\"}"),
                Container("broken", "{"),
                Container("array", "[1]"),
                ContainerFolderRead.Of(new ContainerConfigFile("unread", Some((RawFile)new RawFile.Unreadable("EACCES")))),
                ContainerFolderRead.Of(new ContainerConfigFile("nocfg", None)))),
        };
        var r = RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), root);
        Assert.Equal(new ContainerInfo("m", Some("/web"), Some("sha256:i"), Some<DriverName>("overlay2")) { Fate = ContainerFate.MountNotLoaded }, r.Containers.Find("m").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("moved", None, None, Some<DriverName>("overlay2")) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("moved").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("broken", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("broken").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("array", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("array").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(new ContainerInfo("unread", None, None, None) { Fate = ContainerFate.NotLoaded }, r.Containers.Find("unread").IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(ContainerFate.MountNotLoaded, r.Containers.Find("lost1").Map(c => c.Fate).IfNone(ContainerFate.Restored));
        Assert.Equal(10, r.Containers.Count);

        Problem Lost(string id, string name) => new(ProblemKind.ContainerWithoutMount, Severity.Error, "containers/" + id, None, Some<MountName>(id), None,
            new Fact.ContainerWithoutMount(name, id, Db, Kept: false));
        Problem Unowned(string name) => new(ProblemKind.MountWithoutContainer, Severity.Warning, Db + "/mounts/" + name, None, Some<MountName>(name), None,
            new Fact.MountWithoutContainer());
        Assert.Equal(Seq(Unowned("n"), Unowned("o"), Lost("0123456789abcdef", ""), Lost("lost1", "/db")),
            r.Problems.Filter(p => p.Kind is ProblemKind.ContainerWithoutMount or ProblemKind.MountWithoutContainer));

        var onAufs = RootChecks.Run(V("20.10"), "aufs", s.Snap, LayerStoreLoad.Load(s.Snap, V("20.10")), root);
        // A config without a Driver key is an aufs container, as in moby; one that does not decode is dropped before that.
        Assert.Equal(Seq("aufsbox", "blank").Map(n => "containers/" + n),
            onAufs.Problems.Filter(p => p.Kind == ProblemKind.ContainerWithoutMount).Map(p => p.Path));
        // A config stored under another ID is skipped ("Container other is stored at moved").
        Assert.Equal(Seq("array", "broken", "moved", "nocfg", "unread").Map(n => "containers/" + n + "/config.v2.json"),
            onAufs.Problems.Filter(p => p.Kind == ProblemKind.ContainerConfigInvalid).Map(p => p.Path));
        var kept = RootChecks.Run(V("29.4"), "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V("29.4")), root);
        Assert.All(kept.Problems.Filter(p => p.Kind == ProblemKind.ContainerWithoutMount), p => Assert.True(p.Fact is Fact.ContainerWithoutMount { Kept: true }));
        Assert.NotEmpty(kept.Problems.Filter(p => p.Kind == ProblemKind.ContainerWithoutMount));
        var shortId = RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), root with { Containers = Some(Seq1(Container("abc", Cfg("abc", "\"Driver\":\"overlay2\"")))) });
        Assert.Contains(shortId.Problems, p => p.Fact == new Fact.ContainerWithoutMount("", "abc", Db, Kept: false));
        // Without a containers folder read, mounts are not judged.
        Assert.DoesNotContain(RootChecks.Run(V29, "overlay2", s.Snap, LayerStoreLoad.Load(s.Snap, V29), RootSnapshot.Empty("overlay2")).Problems,
            p => p.Kind == ProblemKind.MountWithoutContainer);
    }

    [Fact]
    public void A_config_naming_its_own_folder_keeps_the_folder_name_s_instance_as_its_ID()
    {
        var id = new string('c', 64);
        var folderName = new string(id.AsSpan());
        var read = ContainerFolderRead.Of(new ContainerConfigFile(folderName, Some((RawFile)new RawFile.Content(Encoding.UTF8.GetBytes($"{{\"ID\":\"{id}\"}}")))));
        var fields = Assert.IsType<ContainerConfigRead.Fields>(read.Read);
        Assert.Same(folderName, fields.Value.Id.Value);
        var other = ContainerFolderRead.Of(new ContainerConfigFile(folderName, Some((RawFile)new RawFile.Content(Encoding.UTF8.GetBytes("{\"ID\":\"x\"}")))));
        Assert.Equal("x", Assert.IsType<ContainerConfigRead.Fields>(other.Read).Value.Id);
    }
}
