using System.CommandLine;
using LayerFunctional.Edge;

namespace LayerFunctional.Cli.Commands;

/// <summary><c>layerfn mount-command</c>: the read-only overlay mount command for a container's files (<see cref="MountCommand"/>).</summary>
internal static class MountCommandCommand
{
    /// <summary>The command.</summary>
    /// <param name="stdout">Where the command goes.</param>
    /// <param name="stderr">Where errors go.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var container = new Argument<string>("CONTAINER") { Description = "A container ID, a unique prefix of 6 or more characters, or a container name." };
        var root = SharedOptions.RootOption();
        var target = new Option<string>("--target", "-t") { Description = "Where the command mounts the container's files.", DefaultValueFactory = _ => "/mnt/container" };
        var driver = SharedOptions.Driver();
        var moby = SharedOptions.MobyVersionOption();
        var json = SharedOptions.Json("Print the container, its folders (top first) and the command as JSON.");
        var mountCommand = new Command("mount-command", """
            Print the read-only overlay mount command for a container's files: its read-write folder on
            top, then its init layer, then its image's layers down to the base layer (lowerdir order as
            the overlay2 driver gives it). Nothing is mounted or run; the command mounts read-only.

            Examples:
              layerfn mount-command web --root /mnt/evidence/docker --target /mnt/web
              layerfn mount-command 3f2a9c1d0b7e --json
            """)
        {
            container, root, target, driver, moby, json,
        };
        // Only the load and the container configs (for names) are read (Lookups.MountFor).
        mountCommand.SetAction(parse =>
        {
            var rootPath = parse.GetValue(root) ?? SharedOptions.DefaultRoot;
            return SharedOptions.Version(parse.GetValue(moby)).Match(
                Left: error => SharedOptions.Fail(stderr, error),
                Right: version => Lookups.MountFor(new LookupOptions(rootPath, version, SharedOptions.ExplicitDriver(parse.GetValue(driver))),
                        parse.GetValue(container) ?? "", parse.GetValue(target) ?? "/mnt/container").Match(
                    Left: error => SharedOptions.Fail(stderr, error),
                    Right: found => found.Match(
                        Right: m =>
                        {
                            stdout.Write(parse.GetValue(json) ? Json(m) : m.Command);
                            return 0;
                        },
                        Left: error =>
                        {
                            stderr.WriteLine("layerfn: " + error);
                            return 1;
                        })));
        });
        return mountCommand;
    }

    private static string Json(OverlayMount m) =>
        Terminal.JsonText(w =>
        {
            w.WriteStartObject();
            w.WriteString("container", m.Container.Value);
            w.WriteStartArray("lowerdir");
            foreach (var d in m.LowerDirs) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteString("command", m.Command.TrimEnd('\n'));
            w.WriteEndObject();
        });
}
