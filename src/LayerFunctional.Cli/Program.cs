using System.CommandLine;
using Prelude = LanguageExt.Prelude;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using Microsoft.Extensions.Logging;

namespace LayerFunctional.Cli;

/// <summary>The <c>layerfn</c> command line.</summary>
public static class Program
{
    /// <summary>Exit code when the tool could not do its job (bad arguments, unreadable root).</summary>
    public const int UsageOrRootError = 2;

    /// <summary>Entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0, 1 or 2 as report.md defines them.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with explicit output writers (used by tests).</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="stdout">Where reports go.</param>
    /// <param name="stderr">Where errors and logs go.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildCommand(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"layerfn: {e.Message}");
            stderr.WriteLine("Run 'layerfn --help' for usage.");
            return UsageOrRootError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input (bad input is a problem in the report): one line, no stack trace.
            stderr.WriteLine($"layerfn: internal error ({e.GetType().Name}: {e.Message}); please report it with the command line");
            return UsageOrRootError;
        }
    }

    /// <summary>overlay2's <c>l/&lt;LINK&gt;[/…]</c> short names become the folder they lead to
    /// (<c>../&lt;id&gt;/diff</c> → <c>overlay2/&lt;id&gt;/diff[/…]</c>); the link text is read, nothing is followed.</summary>
    private static string ThroughShortLink(string relative, string root, CheckReport report)
    {
        var parts = relative.Split('/');
        if (parts.Length < 3 || parts[1] != "l" || report.Driver.Name.Case is not ("overlay2" or "fuse-overlayfs") || parts[0] != (string)report.Driver.Name.Case!)
            return relative;
        string? target;
        try
        {
            target = new FileInfo(Path.Combine(root, parts[0], "l", parts[2])).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return relative;
        }
        return target is { } t && t.StartsWith("../", StringComparison.Ordinal) && !t[3..].Contains("..", StringComparison.Ordinal)
            ? parts[0] + "/" + t[3..] + string.Concat(parts.Skip(3).Select(p => "/" + p))
            : relative;
    }

    /// <summary>A path under the root becomes relative to it; anything else is returned as given.</summary>
    private static string RelativeToRoot(string asked, string root)
    {
        if (!asked.Contains('/')) return asked;
        var full = Path.GetFullPath(asked);
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return full.StartsWith(fullRoot + "/", StringComparison.Ordinal) ? full[(fullRoot.Length + 1)..] : asked;
    }

    private static string OwnerText(Owner o)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(o.Query).Append('\n');
        sb.Append("  ").Append(o.Note).Append('\n');
        o.ChainId.IfSome(c => sb.Append("  layer:      ").Append(c).Append('\n'));
        o.CacheId.IfSome(c => sb.Append("  driver ID:  ").Append(c).Append('\n'));
        o.Mount.IfSome(m => sb.Append("  container:  ").Append(m).Append(o.ContainerName.Map(n => " (" + n + ")").IfNone("")).Append('\n'));
        foreach (var i in o.Images) sb.Append("  image:      ").Append(i).Append('\n');
        foreach (var c in o.Containers.Filter(c => o.Mount.Map(m => m != c).IfNone(true))) sb.Append("  used by:    container ").Append(c).Append('\n');
        return sb.ToString();
    }

    /// <summary>One self-overwriting line on a terminal's stderr; cleared when the next output starts.</summary>
    private sealed class TerminalProgress(TextWriter stderr) : IProgress<ReadProgress>
    {
        // Reads run on several threads: one line at a time.
        public void Report(ReadProgress value)
        {
            lock (stderr)
            {
                stderr.Write($"\r\u001b[2Kreading {value.Phase}: {value.Done}/{value.Total}");
                stderr.Flush();
            }
        }

        public void Clear()
        {
            stderr.Write("\r\u001b[2K");
            stderr.Flush();
        }
    }

    /// <summary>Colour only on a terminal, never with <c>NO_COLOR</c> set (no-color.org) or <c>TERM=dumb</c>.</summary>
    private static bool UseColour() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    /// <summary>Checks a root with the common options (no tar-split reading) and hands the report on; exit 2 on bad
    /// options or an unreadable root.</summary>
    private static int WithReport(string root, string? driver, string? moby, TextWriter stderr, Func<CheckReport, int> then)
    {
        var version = MobyVersion.Parse(moby ?? MobyVersion.Default.ToString());
        if (version.Case is string versionError)
        {
            stderr.WriteLine($"layerfn: {versionError}");
            return UsageOrRootError;
        }
        var options = new CheckOptions(root, (MobyVersion)version.Case!, Prelude.Optional(driver).Filter(d => d.Trim().Length > 0), VerifyTarSplit: false);
        return Checker.Check(options).Match(
            Left: error =>
            {
                stderr.WriteLine($"layerfn: {error}");
                return UsageOrRootError;
            },
            Right: then);
    }

    /// <summary>The check that reports exactly what a generated root's corruptions promise.</summary>
    private static string CheckLine(GeneratedRoot root, string dir) =>
        "layerfn check " + dir
        + root.Expected.Driver.Map(d => " --driver " + d).IfNone("")
        + (root.Expected.Moby == MobyVersion.Default ? "" : " --moby-version " + root.Expected.Moby)
        + (root.Expected.NeedsContent ? " --content" : "");

    private static string GeneratedJson(GeneratedRoot root, string dir, int entries) =>
        JsonText(w =>
        {
            w.WriteStartObject();
            w.WriteString("directory", dir);
            w.WriteNumber("seed", root.Seed);
            w.WriteNumber("entries", entries);
            w.WriteNumber("layers", root.Layers.Count);
            w.WriteNumber("mounts", root.Mounts.Count);
            w.WriteNumber("images", root.Images.Count);
            w.WriteString("replay", root.CommandLine(dir));
            w.WriteStartArray("corruptions");
            foreach (var k in root.Corruptions) w.WriteStringValue(k.Id());
            w.WriteEndArray();
            w.WriteStartObject("expected");
            w.WriteString("check", CheckLine(root, dir));
            if (root.Expected.Driver.Case is string d) w.WriteString("driver", d); else w.WriteNull("driver");
            w.WriteString("moby", root.Expected.Moby.ToString());
            w.WriteStartArray("problems");
            foreach (var p in root.Expected.Problems)
            {
                w.WriteStartObject();
                w.WriteString("kind", p.Kind.Id());
                w.WriteString("path", p.Path);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>Indented JSON written by <paramref name="body"/>, ending with a newline.</summary>
    private static string JsonText(Action<System.Text.Json.Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true })) body(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string MountJson(OverlayMount m) =>
        JsonText(w =>
        {
            w.WriteStartObject();
            w.WriteString("container", m.Container);
            w.WriteStartArray("lowerdir");
            foreach (var d in m.LowerDirs) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteString("command", m.Command.TrimEnd('\n'));
            w.WriteEndObject();
        });

    /// <summary>A one-line progress display for content verification (only when stderr is a terminal).</summary>
    private static LanguageExt.Option<Action<long, long>> ContentProgressLine(TextWriter stderr) =>
        new Action<long, long>((done, total) =>
        {
            lock (stderr)
            {
                stderr.Write(done >= total
                    ? "\r\u001b[K"
                    : $"\rverifying content: {HumanReport.HumanSize(done)} / {HumanReport.HumanSize(total)} ({(total == 0 ? 100 : done * 100 / total)}%)\u001b[K");
                stderr.Flush();
            }
        });

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        var rootArg = new Argument<string>("ROOT")
        {
            Description = "The docker root (daemon data directory) to check. Read-only: nothing under it is written.",
            DefaultValueFactory = _ => "/var/lib/docker",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var driver = new Option<string?>("--driver", "-s")
        {
            Description = "Use this graph driver, as 'dockerd --storage-driver' does (overlay2, fuse-overlayfs, btrfs, zfs, vfs, aufs, overlay, devicemapper). Default: moby's own choice.",
        };
        var moby = new Option<string>("--moby-version")
        {
            Description = "Apply the load and driver rules of this moby release (17.06, 18.06, 20.10, 23.0, 24.0, 25.0, 28.0, 29.0, or any release between).",
            DefaultValueFactory = _ => MobyVersion.Default.ToString(),
        };
        var hostLacks = new Option<string[]>("--host-lacks")
        {
            Description = "A graph driver the host that will start dockerd cannot run (aufs without its kernel module, btrfs or zfs without that backing file system); repeatable. Naming it, or having it as the prior-state driver, then makes the daemon refuse to start. Default: the host runs the driver the root was used with.",
            HelpName = "DRIVER",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema layerfunctional.report/1)." };
        var table = new Option<bool>("--table") { Description = "Print tables (layers, mounts, problems) instead of the report." };
        var plan = new Option<bool>("--plan") { Description = "Print a reviewable clean-up plan instead of the report: a shell script that lists the orphaned driver folders, leftovers and stale transactions with their sizes, and only prints its commands until edited. Nothing is deleted." };
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

            Exit codes: 0 no error-severity problem; 1 at least one; 2 bad arguments or unreadable root.
            """)
        {
            rootArg, driver, moby, hostLacks, json, table, plan, noTarSplit, content, contentOnly, verbose, quiet,
        };
        check.Validators.Add(result =>
        {
            if (result.GetValue(verbose) && result.GetValue(quiet))
                result.AddError("--verbose and --quiet cannot be used together");
        });
        check.SetAction(parse =>
        {
            var version = MobyVersion.Parse(parse.GetValue(moby) ?? MobyVersion.Default.ToString());
            if (version.Case is string versionError)
            {
                stderr.WriteLine($"layerfn: {versionError}");
                return UsageOrRootError;
            }
            var level = parse.GetValue(verbose) ? LogLevel.Debug : parse.GetValue(quiet) ? LogLevel.Error : LogLevel.Warning;
            using var loggers = LoggerFactory.Create(b => b
                .SetMinimumLevel(level)
                .AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled; })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var options = new CheckOptions(parse.GetValue(rootArg) ?? "/var/lib/docker", (MobyVersion)version.Case!, Prelude.Optional(parse.GetValue(driver)).Filter(d => d.Trim().Length > 0),
                VerifyTarSplit: !parse.GetValue(noTarSplit), VerifyContent: parse.GetValue(content),
                ContentOnly: Prelude.toSeq(parse.GetValue(contentOnly) ?? []),
                ContentProgress: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && !parse.GetValue(quiet) ? ContentProgressLine(stderr) : default)
            {
                Progress = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && !parse.GetValue(quiet) ? new TerminalProgress(stderr) : null,
                HostLacks = Prelude.toSeq(parse.GetValue(hostLacks) ?? []),
            };
            if (parse.GetValue(plan) && parse.GetValue(json))
            {
                stderr.WriteLine("layerfn: --plan prints a shell script; the JSON report carries the same list as \"cleanup\" (use one of --plan, --json)");
                return UsageOrRootError;
            }
            if (parse.GetValue(table) && (parse.GetValue(plan) || parse.GetValue(json)))
            {
                stderr.WriteLine("layerfn: use one of --table, --json, --plan");
                return UsageOrRootError;
            }
            var checkedRoot = Checker.Check(options, loggers.CreateLogger("layerfn"));
            (options.Progress as TerminalProgress)?.Clear();
            if (parse.GetValue(plan))
                return checkedRoot.Match(
                    Left: error =>
                    {
                        stderr.WriteLine($"layerfn: {error}");
                        return UsageOrRootError;
                    },
                    Right: report =>
                    {
                        stdout.Write(CleanupPlan.Render(report, Path.GetFullPath(options.Root)));
                        return 0;
                    });
            return checkedRoot.Match(
                Left: error =>
                {
                    stderr.WriteLine($"layerfn: {error}");
                    return UsageOrRootError;
                },
                Right: report =>
                {
                    if (parse.GetValue(json) && ReferenceEquals(stdout, Console.Out))
                    {
                        // Straight to the standard output stream: a 100,000-layer report is never held as text.
                        using var raw = Console.OpenStandardOutput();
                        ReportJson.Write(report, raw);
                        return report.ExitCode;
                    }
                    stdout.Write(parse.GetValue(json) ? ReportJson.Render(report)
                        : parse.GetValue(table) ? TableReport.Render(report)
                        : HumanReport.Render(report, colour: ReferenceEquals(stdout, Console.Out) && UseColour()));
                    stdout.Flush();
                    return report.ExitCode;
                });
        });

        var query = new Argument<string>("PATH-OR-ID")
        {
            Description = "A path inside the docker root (e.g. /var/lib/docker/overlay2/<id>/diff/etc/hosts), or a chain ID, cache ID, mount ID, init ID, container ID or image ID (or a unique prefix of 6 or more characters).",
        };
        var whichRoot = new Option<string>("--root") { Description = "The docker root.", DefaultValueFactory = _ => "/var/lib/docker" };
        var whichDriver = new Option<string?>("--driver", "-s") { Description = "Use this graph driver, as 'dockerd --storage-driver' does." };
        var whichMoby = new Option<string>("--moby-version") { Description = "Apply this moby release's rules.", DefaultValueFactory = _ => MobyVersion.Default.ToString() };
        var whichJson = new Option<bool>("--json") { Description = "Print the answer as JSON." };
        var which = new Command("which", """
            Say what owns a file or folder under the docker root, or an ID: a layer (and the images and
            containers that use it), a container's read-write or init layer, an image, or nothing (an
            orphan driver folder).

            Examples:
              layerfn which /var/lib/docker/overlay2/3f2a…/diff/etc/passwd
              layerfn which sha256:3f2a… --root /mnt/evidence/docker
              layerfn which 3f2a9c1d --json
            """)
        {
            query, whichRoot, whichDriver, whichMoby, whichJson,
        };
        which.SetAction(parse =>
        {
            var version = MobyVersion.Parse(parse.GetValue(whichMoby) ?? MobyVersion.Default.ToString());
            if (version.Case is string versionError)
            {
                stderr.WriteLine($"layerfn: {versionError}");
                return UsageOrRootError;
            }
            var rootPath = parse.GetValue(whichRoot) ?? "/var/lib/docker";
            if (string.IsNullOrWhiteSpace(parse.GetValue(query)))
            {
                stderr.WriteLine("layerfn: give a path under the docker root or an ID");
                return UsageOrRootError;
            }
            var options = new CheckOptions(rootPath, (MobyVersion)version.Case!, Prelude.Optional(parse.GetValue(whichDriver)).Filter(d => d.Trim().Length > 0), VerifyTarSplit: false);
            return Checker.Check(options).Match(
                Left: error =>
                {
                    stderr.WriteLine($"layerfn: {error}" + (parse.GetResult(whichRoot) is null ? " (give --root ROOT for a docker root elsewhere)" : ""));
                    return UsageOrRootError;
                },
                Right: report =>
                {
                    var asked = parse.GetValue(query) ?? "";
                    var relative = ThroughShortLink(RelativeToRoot(asked, rootPath), rootPath, report);
                    var owner = Ownership.Find(report, relative);
                    stdout.Write(parse.GetValue(whichJson) ? OwnerJson.Render(owner) : OwnerText(owner));
                    return owner.Kind == OwnerKind.Unknown ? 1 : 0;
                });
        });

        var target = new Argument<string>("DIR") { Description = "A new or empty folder to write the docker root into." };
        var seed = new Option<long?>("--seed") { Description = "The seed (0 or more): the same seed always writes the same bytes. Default: a random seed, printed." };
        var layers = new Option<int>("--layers") { Description = "Number of layers.", DefaultValueFactory = _ => 6 };
        var mountsOption = new Option<int>("--mounts") { Description = "Number of container mounts.", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "Number of images.", DefaultValueFactory = _ => 2 };
        var fileSize = new Option<int>("--file-size") { Description = "Bytes in every layer file (default: random sizes under 700 bytes); for roots that measure 'check --content'." };
        var corrupt = new Option<string[]>("--corrupt")
        {
            Description = "Add one fault that produces this problem kind (repeatable; stacks). Kinds: "
                          + string.Join(", ", Corrupters.Kinds.Map(k => k.Id())) + ".",
            HelpName = "KIND",
        };
        var generateJson = new Option<bool>("--json") { Description = "Print the seed, the counts, the replay command and the expected check as JSON." };
        var generate = new Command("generate", """
            Write a random overlay2 docker root: layers with real tar streams, diff and chain IDs,
            tar-split files, overlay2 folders and links, images, containers with mounts and init layers.
            Valid unless --corrupt adds faults; then it prints the exact problems a check must report
            and the check command (some kinds need --driver or --moby-version).

            Examples:
              layerfn generate /tmp/root --seed 42
              layerfn generate /tmp/bad --seed 42 --corrupt size_invalid --corrupt parent_cycle
              layerfn generate /tmp/big --seed 7 --layers 10000 --mounts 1000 --images 100
            """)
        {
            target, seed, layers, mountsOption, images, corrupt, fileSize, generateJson,
        };
        generate.SetAction(parse =>
        {
            if (parse.GetValue(layers) < 1 || parse.GetValue(mountsOption) < 0 || parse.GetValue(images) < 0 || parse.GetValue(fileSize) < 0)
            {
                stderr.WriteLine("layerfn: --layers must be at least 1; --mounts, --images and --file-size cannot be negative");
                return UsageOrRootError;
            }
            if (parse.GetValue(seed) is < 0)
            {
                stderr.WriteLine("layerfn: --seed must be 0 or more");
                return UsageOrRootError;
            }
            var s = parse.GetValue(seed) ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);
            var dir = parse.GetValue(target)!;
            var kinds = (parse.GetValue(corrupt) ?? []).Select(id => (id, Corrupters.ParseKind(id))).ToList();
            if (kinds.Find(k => k.Item2.IsNone) is { id: { } unknown })
            {
                stderr.WriteLine($"layerfn: --corrupt {unknown}: not a problem kind with a corrupter (see --help)");
                return UsageOrRootError;
            }
            var generated = Corrupters.Generate(s, new GeneratorOptions(parse.GetValue(layers), parse.GetValue(mountsOption), parse.GetValue(images), parse.GetValue(fileSize)),
                Prelude.toSeq(kinds.Select(k => k.Item2.IfNone(default(ProblemKind)))));
            if (generated.Case is string refused)
            {
                stderr.WriteLine("layerfn: " + refused);
                return UsageOrRootError;
            }
            var root = (GeneratedRoot)generated.Case!;
            return RootWriter.Write(dir, root).Match(
                Right: count =>
                {
                    if (parse.GetValue(generateJson))
                    {
                        stdout.Write(GeneratedJson(root, dir, count));
                        return 0;
                    }
                    stdout.WriteLine($"seed {s}: wrote {count} entries ({root.Layers.Count} layers, {root.Mounts.Count} mounts, {root.Images.Count} images) to {dir}");
                    stdout.WriteLine("replay: " + root.CommandLine(dir));
                    if (!root.Corruptions.IsEmpty)
                    {
                        var expected = root.Expected;
                        stdout.WriteLine("check: " + CheckLine(root, dir));
                        foreach (var p in expected.Problems) stdout.WriteLine($"expect: {p.Kind.Id()} {p.Path}");
                    }
                    return 0;
                },
                Left: error =>
                {
                    stderr.WriteLine("layerfn: " + error);
                    return UsageOrRootError;
                });
        });

        var graphRoot = new Argument<string>("ROOT") { Description = "The docker root to draw.", DefaultValueFactory = _ => "/var/lib/docker", Arity = ArgumentArity.ZeroOrOne };
        var graphDriver = new Option<string?>("--driver", "-s") { Description = "Use this graph driver, as for check." };
        var graphMoby = new Option<string>("--moby-version") { Description = "Rules of this moby release, as for check.", DefaultValueFactory = _ => MobyVersion.Default.ToString() };
        var format = new Option<string>("--format", "-f") { Description = "dot (Graphviz) or mermaid.", DefaultValueFactory = _ => "dot" };
        format.AcceptOnlyFromAmong("dot", "mermaid");
        var graph = new Command("graph", """
            Draw the layer forest with container mounts and images: base layers at the top, each parent
            above its children, mounts (boxes) on their image's top layer, images (ellipses) pointing at
            their top layer. Layers and mounts moby skips are red and dashed; ones with problems orange;
            images moby does not restore red.

            Examples:
              layerfn graph /var/lib/docker | dot -Tpng > layers.png
              layerfn graph ./root --format mermaid > layers.mmd
            """)
        {
            graphRoot, graphDriver, graphMoby, format,
        };
        graph.SetAction(parse =>
            WithReport(parse.GetValue(graphRoot) ?? "/var/lib/docker", parse.GetValue(graphDriver), parse.GetValue(graphMoby), stderr, report =>
            {
                stdout.Write(GraphRender.Render(report, parse.GetValue(format) == "mermaid" ? GraphFormat.Mermaid : GraphFormat.Dot));
                return 0;
            }));

        var container = new Argument<string>("CONTAINER") { Description = "A container ID, a unique prefix of 6 or more characters, or a container name." };
        var mountRoot = new Option<string>("--root") { Description = "The docker root.", DefaultValueFactory = _ => "/var/lib/docker" };
        var mountTarget = new Option<string>("--target", "-t") { Description = "Where the command mounts the container's files.", DefaultValueFactory = _ => "/mnt/container" };
        var mountDriver = new Option<string?>("--driver", "-s") { Description = "Use this graph driver, as for check." };
        var mountMoby = new Option<string>("--moby-version") { Description = "Rules of this moby release, as for check.", DefaultValueFactory = _ => MobyVersion.Default.ToString() };
        var mountJson = new Option<bool>("--json") { Description = "Print the container, its folders (top first) and the command as JSON." };
        var mountCommand = new Command("mount-command", """
            Print the read-only overlay mount command for a container's files: its read-write folder on
            top, then its init layer, then its image's layers down to the base layer (lowerdir order as
            the overlay2 driver gives it). Nothing is mounted or run; the command mounts read-only.

            Examples:
              layerfn mount-command web --root /mnt/evidence/docker --target /mnt/web
              layerfn mount-command 3f2a9c1d0b7e --json
            """)
        {
            container, mountRoot, mountTarget, mountDriver, mountMoby, mountJson,
        };
        mountCommand.SetAction(parse =>
        {
            var rootPath = parse.GetValue(mountRoot) ?? "/var/lib/docker";
            return WithReport(rootPath, parse.GetValue(mountDriver), parse.GetValue(mountMoby), stderr, report =>
                MountCommand.For(report, Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath)), parse.GetValue(container) ?? "", parse.GetValue(mountTarget) ?? "/mnt/container").Match(
                    Right: m =>
                    {
                        stdout.Write(parse.GetValue(mountJson) ? MountJson(m) : m.Command);
                        return 0;
                    },
                    Left: error =>
                    {
                        stderr.WriteLine("layerfn: " + error);
                        return 1;
                    }));
        });

        var versionJson = new Option<bool>("--json") { Description = "Print the versions as JSON." };
        var version = new Command("version", """
            Print layerfn's version, the moby releases whose rules it knows and the report schema.

            Examples:
              layerfn version
              layerfn version --json
            """) { versionJson };
        version.SetAction(parse =>
        {
            var informational = BuildVersion.Text;
            if (parse.GetValue(versionJson))
            {
                stdout.Write(JsonText(w =>
                {
                w.WriteStartObject();
                w.WriteString("layerfn", informational);
                w.WriteString("default_moby_rules", MobyVersion.Default.ToString());
                w.WriteString("oldest_moby_rules", "17.06");
                w.WriteString("report_schema", "layerfunctional.report/1");
                w.WriteEndObject();
                }));
            }
            else
                stdout.WriteLine($"layerfn {informational} (moby rules 17.06 to {MobyVersion.Default}, default {MobyVersion.Default}; report schema layerfunctional.report/1)");
            return 0;
        });

        return new RootCommand("layerfn: see exactly what dockerd will load from its layer store, offline and read-only, and what is wrong with it.")
        {
            check, which, generate, graph, mountCommand, version,
        };
    }
}
