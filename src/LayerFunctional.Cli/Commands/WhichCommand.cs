using System.CommandLine;
using LayerFunctional.Edge;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn which</c>: what owns a path under the docker root, or an ID (<see cref="Lookups.Which"/>).</summary>
internal static class WhichCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the answer goes.</param>
    /// <param name="stderr">Where errors go.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var query = new Argument<string>("PATH-OR-ID")
        {
            Description = "A path inside the docker root (e.g. /var/lib/docker/overlay2/<id>/diff/etc/hosts), or a chain ID, cache ID, mount ID, init ID, container ID or image ID (or a unique prefix of 6 or more characters).",
        };
        var root = SharedOptions.RootOption();
        var driver = SharedOptions.Driver();
        var moby = SharedOptions.MobyVersionOption();
        var daemonConfig = SharedOptions.DaemonConfigOption();
        var containerdRoot = SharedOptions.ContainerdRootOption();
        var json = SharedOptions.Json("Print the answer as JSON.");
        var which = new Command("which", """
            Say what owns a file or folder under the docker root, or an ID: a layer (and the images and
            containers that use it), a container's read-write or init layer, an image, or nothing (an
            orphan driver folder).

            Examples:
              layerfn which /var/lib/docker/overlay2/3f2a…/diff/etc/passwd
              layerfn which sha256:3f2a… --root /mnt/evidence/docker
              layerfn which 3f2a9c1d --json
              layerfn which /var/lib/docker/containerd/daemon/io.containerd.snapshotter.v1.overlayfs/snapshots/12/fs/etc/hosts
            """)
        {
            query, root, driver, moby, daemonConfig, containerdRoot, json,
        };
        which.SetAction(parse =>
        {
            var rootPath = parse.GetValue(root) ?? SharedOptions.DefaultRoot;
            var asked = parse.GetValue(query) ?? "";
            var named = SharedOptions.ExplicitDriver(parse.GetValue(driver));
            var config = SharedOptions.ReadDaemonConfig(parse.GetValue(daemonConfig), named);
            if (config.TryLeft(out var configError)) return SharedOptions.Fail(stderr, configError);
            return SharedOptions.Version(parse.GetValue(moby)).Match(
                Left: error => SharedOptions.Fail(stderr, error),
                Right: version => string.IsNullOrWhiteSpace(asked)
                    ? SharedOptions.Fail(stderr, "give a path under the docker root or an ID")
                    : Lookups.Which(new LookupOptions(rootPath, version, named)
                    {
                        DaemonConfig = config.IfLeft(Drivers.DaemonConfig.None),
                        ContainerdRoot = parse.GetValue(containerdRoot) is { Length: > 0 } c ? LanguageExt.Prelude.Some(c) : LanguageExt.Prelude.None,
                    }, asked).Match(
                        Right: owner =>
                        {
                            stdout.Write(parse.GetValue(json) ? OwnerJson.Render(owner) : OwnerText.Render(owner));
                            return owner.Kind == OwnerKind.Unknown ? 1 : 0;
                        },
                        Left: error => SharedOptions.Fail(stderr, error + (parse.GetResult(root) is null ? " (give --root ROOT for a docker root elsewhere)" : ""))));
        });
        return which;
    }
}
