using System.CommandLine;
using Either = LanguageExt.Either<string, LayerFunctional.MobyVersion>;
using LayerFunctional.Edge;

namespace LayerFunctional.Cli.Commands;

/// <summary>
/// The arguments and options several commands share, declared once, and the steps they share: the moby version parsed
/// once (<see cref="MobyVersion.Parse"/>), an explicit driver, an error line and exit code 2.
/// </summary>
internal static class SharedOptions
{
    /// <summary>Where dockerd keeps its data unless told otherwise.</summary>
    public const string DefaultRoot = "/var/lib/docker";

    /// <summary>The docker root as the command's argument (<c>check</c>, <c>graph</c>).</summary>
    /// <param name="description">What the command does with it.</param>
    public static Argument<string> RootArgument(string description) => new("ROOT")
    {
        Description = description,
        DefaultValueFactory = _ => DefaultRoot,
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary><c>--root</c>, for commands whose argument is something else (<c>which</c>, <c>mount-command</c>).</summary>
    public static Option<string> RootOption() => new("--root") { Description = "The docker root.", DefaultValueFactory = _ => DefaultRoot };

    /// <summary><c>--driver</c>/<c>-s</c>: the graph driver named explicitly.</summary>
    public static Option<string?> Driver() => new("--driver", "-s")
    {
        Description = "Use this graph driver, as 'dockerd --storage-driver' does (overlay2, fuse-overlayfs, btrfs, zfs, vfs, aufs, overlay, devicemapper). Default: moby's own choice.",
    };

    /// <summary><c>--containerd-root</c>: a system containerd's root, when dockerd uses one.</summary>
    public static Option<string> ContainerdRootOption() => new("--containerd-root")
    {
        Description = "Where the containerd image store is, when dockerd uses a system containerd (started with --containerd=/run/containerd/containerd.sock, as Docker's own packages do): its root, e.g. /var/lib/containerd. Default: <ROOT>/containerd/daemon, the containerd dockerd starts itself. Read only when dockerd uses the containerd image store.",
        HelpName = "DIR",
    };

    /// <summary><c>--daemon-config</c>: the daemon's <c>daemon.json</c> from the acquisition.</summary>
    public static Option<string?> DaemonConfigOption() => new("--daemon-config")
    {
        Description = "The daemon.json the daemon starts with (e.g. a copy of /etc/docker/daemon.json): its storage-driver and features.containerd-snapshotter decide, with the release, which image store dockerd uses (from 29.0 the containerd store unless prior graph-driver state or a graph driver is named). Default: no daemon.json (nothing named, no feature set).",
        HelpName = "FILE",
    };

    /// <summary>Reads and parses <c>--daemon-config</c> (the shell reads, the core parses), and checks it against
    /// <c>--driver</c> as dockerd checks a flag against its file. Left: the error line.</summary>
    /// <param name="path">The option's value (null: none given).</param>
    /// <param name="driver">The driver named with <c>--driver</c>.</param>
    public static LanguageExt.Either<string, Drivers.DaemonConfig> ReadDaemonConfig(string? path, LanguageExt.Option<DriverName> driver)
    {
        if (string.IsNullOrEmpty(path)) return Drivers.DaemonConfig.None;
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > 1 << 20) return $"--daemon-config {path}: larger than 1 MiB, not a daemon.json";
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--daemon-config {path}: {e.Message}";
        }
        return Drivers.DaemonConfig.Parse(bytes).MapLeft(why => $"--daemon-config {path}: {why}").Bind(config => config.WithDriverFlag(driver, path));
    }

    /// <summary><c>--moby-version</c>: whose rules apply.</summary>
    public static Option<string> MobyVersionOption() => new("--moby-version")
    {
        Description = "Apply the load and driver rules of this moby release (17.06, 18.06, 20.10, 23.0, 24.0, 25.0, 28.0, 29.0, or any release between).",
        DefaultValueFactory = _ => MobyVersion.Default.ToString(),
    };

    /// <summary><c>--json</c>.</summary>
    /// <param name="description">What the JSON holds.</param>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>The moby version given, or <see cref="MobyVersion.Default"/>; Left: the error line for stderr.</summary>
    /// <param name="text">The option's value.</param>
    public static Either Version(string? text) => MobyVersion.Parse(text ?? MobyVersion.Default.ToString());

    /// <summary>An explicit driver, when one was named (blank is none).</summary>
    /// <param name="text">The option's value.</param>
    public static LanguageExt.Option<DriverName> ExplicitDriver(string? text) =>
        LanguageExt.Prelude.Optional(text).Filter(d => d.Trim().Length > 0).Map(d => new DriverName(d));

    /// <summary>Writes <c>layerfn: MESSAGE</c> to stderr and returns exit code 2.</summary>
    /// <param name="stderr">The error writer.</param>
    /// <param name="message">What went wrong.</param>
    public static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("layerfn: " + message);
        return Program.UsageOrRootError;
    }
}
