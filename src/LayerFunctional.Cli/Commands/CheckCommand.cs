using System.CommandLine;
using LayerFunctional.Edge;
using Microsoft.Extensions.Logging;
using Prelude = LanguageExt.Prelude;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn check</c>: the whole check of a root, printed as the report, JSON, tables or a clean-up plan.</summary>
internal static class CheckCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the report goes.</param>
    /// <param name="stderr">Where errors, logs and progress go.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rootArg = SharedOptions.RootArgument("The docker root (daemon data directory) to check. Read-only: nothing under it is written.");
        var driver = SharedOptions.Driver();
        var moby = SharedOptions.MobyVersionOption();
        var daemonConfig = SharedOptions.DaemonConfigOption();
        var hostLacks = new Option<string[]>("--host-lacks")
        {
            Description = "A graph driver the host that will start dockerd cannot run (aufs without its kernel module, btrfs or zfs without that backing file system); repeatable. Naming it, or having it as the prior-state driver, then makes the daemon refuse to start. Default: the host runs the driver the root was used with.",
            HelpName = "DRIVER",
            AllowMultipleArgumentsPerToken = true,
        };
        var containerdRoot = SharedOptions.ContainerdRootOption();
        var migrateThreshold = new Option<string>("--migrate-threshold")
        {
            Description = "The DOCKER_MIGRATE_SNAPSHOTTER_THRESHOLD dockerd starts with (e.g. 200M): with features.containerd-migration in --daemon-config, the most the images' top layers may hold for dockerd to move them into the containerd image store. Default: unset (only a store without images migrates).",
            HelpName = "SIZE",
        };
        var json = SharedOptions.Json("Print the report as JSON (schema layerfunctional.report/1).");
        var table = new Option<bool>("--table") { Description = "Print tables (layers, mounts, problems) instead of the report." };
        var plan = new Option<bool>("--plan") { Description = "Print a reviewable clean-up plan instead of the report: a shell script that lists the orphaned driver folders, leftovers and stale transactions with their sizes, and only prints its commands until edited. Nothing is deleted." };
        var repairPlan = new Option<bool>("--repair-plan") { Description = "Print a reviewable repair plan instead of the report: a shell script that rebuilds what can be rebuilt from what is on disk (overlay2 link files, l/ short links and lower files, a mount's mount-id or init-id from its other ID) and removes empty layer folders and leftovers, each command checking first that it is still needed; it only prints its commands until edited. Nothing is changed." };
        var quarantine = new Option<string>("--quarantine")
        {
            Description = "With --repair-plan: a folder outside the docker root; the plan moves the metadata of layers that cannot be recovered (driver folder gone, tar-split gone or damaged, content that does not hash) and of everything on them (descendant layers, containers, images) there, keeping their paths. Without it they are listed only.",
            HelpName = "DIR",
        };
        var noTarSplit = new Option<bool>("--no-tar-split") { Description = "Do not read tar-split.json.gz files (only their presence is checked): faster on very large stores." };
        var content = new Option<bool>("--content") { Description = "Also verify every loaded layer's files: rebuild its tar stream from tar-split.json.gz and the driver's folder, hash it against the diff ID, and name the first file that differs, is missing or was added (reads every byte of every layer)." };
        var contentOnly = new Option<string[]>("--content-only")
        {
            Description = "Verify the content of these layers only (chain IDs, or unique prefixes of 6+ hex characters); implies --content.",
            HelpName = "CHAIN-ID",
            AllowMultipleArgumentsPerToken = true,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log progress and moby's debug lines on stderr." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Log only errors on stderr." };

        var check = new Command("check", """
            Load a docker root's layer store exactly as dockerd would at start-up, offline, and report
            which layers and mounts load, their parents and reference counts, and every problem.

            Examples:
              layerfn check                                  # /var/lib/docker, moby 29.0 rules
              layerfn check /mnt/evidence/var/lib/docker --json > report.json
              layerfn check ./root --moby-version 20.10      # an older daemon's rules
              layerfn check ./root --driver overlay2         # as 'dockerd -s overlay2'
              layerfn check ./root --daemon-config ./etc/docker/daemon.json --moby-version 29.1
              layerfn check /var/lib/docker --containerd-root /var/lib/containerd   # a system containerd's image store

            Exit codes: 0 no error-severity problem; 1 at least one; 2 bad arguments or unreadable root.
            With --plan or --repair-plan: 0 once the plan is printed (whatever it found); 2 as above.
            """)
        {
            rootArg, driver, moby, daemonConfig, containerdRoot, migrateThreshold, hostLacks, json, table, plan, repairPlan, quarantine, noTarSplit, content, contentOnly, verbose, quiet,
        };
        check.Validators.Add(result =>
        {
            if (result.GetValue(verbose) && result.GetValue(quiet))
                result.AddError("--verbose and --quiet cannot be used together");
        });
        check.SetAction(parse =>
            SharedOptions.Version(parse.GetValue(moby)).Match(Left: error => SharedOptions.Fail(stderr, error), Right: version => Run(parse, version)));
        return check;

        // The path with every link resolved, for the part that exists (realpath of its deepest existing folder, then the rest).
        static string Real(string full)
        {
            var (at, rest) = (full.TrimEnd('/'), "");
            while (at.Length > 0 && FileTypes.RealPath(at) is null)
            {
                rest = "/" + Path.GetFileName(at) + rest;
                at = Path.GetDirectoryName(at) ?? "";
            }
            return ((at.Length > 0 ? FileTypes.RealPath(at) ?? at : "").TrimEnd('/') + rest) is { Length: > 0 } real ? real : "/";
        }

        int Run(ParseResult parse, MobyVersion version)
        {
            var level = parse.GetValue(verbose) ? LogLevel.Debug : parse.GetValue(quiet) ? LogLevel.Error : LogLevel.Warning;
            using var loggers = LoggerFactory.Create(b => b
                .SetMinimumLevel(level)
                .AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled; })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var named = SharedOptions.ExplicitDriver(parse.GetValue(driver));
            var config = SharedOptions.ReadDaemonConfig(parse.GetValue(daemonConfig), named);
            if (config.TryLeft(out var configError)) return SharedOptions.Fail(stderr, configError);
            var showProgress = Terminal.IsErrorTerminal(stderr) && !parse.GetValue(quiet);
            var options = new CheckOptions(parse.GetValue(rootArg) ?? SharedOptions.DefaultRoot, version, named,
                VerifyTarSplit: !parse.GetValue(noTarSplit), VerifyContent: parse.GetValue(content),
                ContentOnly: Prelude.toSeq(parse.GetValue(contentOnly) ?? []),
                ContentProgress: showProgress ? Terminal.ContentProgressLine(stderr) : default)
            {
                Progress = showProgress ? new Terminal.ReadProgressLine(stderr) : null,
                HostLacks = Prelude.toSeq(parse.GetValue(hostLacks) ?? []).Map(d => new DriverName(d)),
                DaemonConfig = config.IfLeft(Drivers.DaemonConfig.None),
                ContainerdRoot = parse.GetValue(containerdRoot) is { Length: > 0 } c ? Prelude.Some(c) : Prelude.None,
                MigrationThreshold = parse.GetValue(migrateThreshold) is { } t ? Prelude.Some(t) : Prelude.None,
                CompactAfterRead = true,
            };
            if (parse.GetValue(migrateThreshold) is { } threshold && Drivers.MigrationForecast.ThresholdWarning(threshold).TrySome(out var warning))
                stderr.WriteLine("layerfn: warning: " + warning);
            if (parse.GetValue(plan) && parse.GetValue(json))
                return SharedOptions.Fail(stderr, "--plan prints a shell script; the JSON report carries the same list as \"cleanup\" (use one of --plan, --json)");
            if (new[] { parse.GetValue(table), parse.GetValue(plan), parse.GetValue(json), parse.GetValue(repairPlan) }.Count(b => b) > 1)
                return SharedOptions.Fail(stderr, "use one of --table, --json, --plan, --repair-plan");
            var quarantineDir = parse.GetValue(quarantine) is { Length: > 0 } q ? Path.GetFullPath(q) : null;
            if (quarantineDir is not null && !parse.GetValue(repairPlan))
                return SharedOptions.Fail(stderr, "--quarantine goes with --repair-plan");
            // Compared with every symbolic link resolved: a link to the root, or a quarantine reached through one, is refused too.
            if (quarantineDir is not null && options.Root.Length > 0 && Real(Path.GetFullPath(options.Root)) is var fullRoot
                && Real(quarantineDir) is var realQuarantine
                && (realQuarantine == fullRoot || realQuarantine.StartsWith(fullRoot + "/", StringComparison.Ordinal)))
                return SharedOptions.Fail(stderr, $"--quarantine {quarantineDir} is inside the docker root; name a folder outside it");
            var checkedRoot = Checker.Check(options, loggers.CreateLogger("layerfn"));
            (options.Progress as Terminal.ReadProgressLine)?.Clear();
            return checkedRoot.Match(
                Left: error => SharedOptions.Fail(stderr, error),
                Right: report =>
                {
                    if (parse.GetValue(plan) || parse.GetValue(repairPlan))
                    {
                        var full = Path.GetFullPath(options.Root);
                        stdout.Write(parse.GetValue(plan) ? CleanupPlan.Render(report, full) : RepairPlan.Render(report, full, Prelude.Optional(quarantineDir)));
                        return 0;
                    }
                    if (parse.GetValue(json) && ReferenceEquals(stdout, Console.Out))
                    {
                        // Straight to the standard output stream: a 100,000-layer report is never held as text.
                        using var raw = Console.OpenStandardOutput();
                        ReportJson.Write(report, raw);
                        return report.ExitCode;
                    }
                    stdout.Write(parse.GetValue(json) ? ReportJson.Render(report)
                        : parse.GetValue(table) ? TableReport.Render(report)
                        : HumanReport.Render(report, colour: ReferenceEquals(stdout, Console.Out) && Terminal.UseColour()));
                    stdout.Flush();
                    return report.ExitCode;
                });
        }
    }
}
