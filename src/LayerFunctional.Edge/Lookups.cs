using LanguageExt;
using LayerFunctional.Containerd;
using LayerFunctional.Diagnostics;
using LayerFunctional.Snapshot;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace LayerFunctional.Edge;

/// <summary>What a lookup reads (<c>which</c>, <c>graph</c>, <c>mount-command</c>): the root and the rules, as for a check.</summary>
/// <param name="Root">The docker root as given (absolute or relative to the working directory); echoed in messages.</param>
/// <param name="Moby">The moby release whose rules apply.</param>
/// <param name="Driver">A driver named explicitly, as <c>dockerd -s</c> would; None for moby's own choice.</param>
public sealed record LookupOptions(string Root, MobyVersion Moby, Option<DriverName> Driver)
{
    /// <summary>The daemon's <c>daemon.json</c> (<see cref="CheckOptions.DaemonConfig"/>): it takes part in the store choice.</summary>
    public Drivers.DaemonConfig DaemonConfig { get; init; } = Drivers.DaemonConfig.None;

    /// <summary>A system containerd's root (<see cref="CheckOptions.ContainerdRoot"/>).</summary>
    public Option<string> ContainerdRoot { get; init; }

    /// <summary>The check a lookup stands in for: no tar-split streams, no folder sizes, no content.</summary>
    internal CheckOptions AsCheck => new(Root, Moby, Driver, VerifyTarSplit: false) { MeasureSizes = false, DaemonConfig = DaemonConfig, ContainerdRoot = ContainerdRoot };
}

/// <summary>
/// The lookups' entry points: each reads what its answer needs and answers exactly as the same question asked of a full
/// <see cref="Checker.Check"/> report (without tar-split reading) is answered. They open the root, pick the driver and load
/// the layerdb as the check does (<see cref="Checker.Start"/>); none reads a <c>tar-split.json.gz</c> or measures a folder
/// it does not print the size of.
/// </summary>
public static class Lookups
{
    /// <summary>The report <c>layerfn graph</c> draws: its colours come from every problem, so every check runs, on the
    /// root read without tar-split streams; no folder is measured.</summary>
    /// <param name="options">Root and rules.</param>
    /// <returns>Right: the report. Left: why the root itself cannot be read.</returns>
    public static Either<string, CheckReport> GraphReport(LookupOptions options) => Checker.Check(options.AsCheck);

    /// <summary>The answer of <c>layerfn which</c>. A path under the root becomes relative to it, and a path through an
    /// overlay2 short link (<c>&lt;driver&gt;/l/&lt;LINK&gt;[/…]</c>) names the folder the link's text leads to
    /// (<see cref="Ownership.ThroughShortLink"/>). Anything that loads (a layer, mount, init layer or image) is answered
    /// from the load, the image configs and the container configs alone (<see cref="Ownership.FindLoaded"/>); only
    /// otherwise is the rest of the root read and checked, and only the orphan folder that answers is measured.</summary>
    /// <param name="options">Root and rules.</param>
    /// <param name="asked">A path (absolute, or relative to the working directory) or an ID, as the user gave it.</param>
    /// <returns>Right: the owner (<see cref="Ownership.Find"/>). Left: why the root itself cannot be read.</returns>
    public static Either<string, Owner> Which(LookupOptions options, string asked) =>
        OnRoot(options, reader =>
        {
            var check = options.AsCheck;
            var started = Checker.Start(check, reader, NullLogger.Instance);
            var relative = RelativeToRoot(asked, reader.FullRoot);
            // dockerd uses the containerd image store: snapshots and blobs are what paths and IDs name.
            if (started.Decision.Snapshotter.TrySome(out var snapshotter))
            {
                var report = Checker.WithContainerdStore(check, reader, started, snapshotter);
                return Right<string, Owner>(report.Containerd.Bind(view => ContainerdOwnership.Find(view, report.Problems, relative))
                    .IfNone(() => Ownership.Find(report, relative)));
            }
            var query = Ownership.ShortLinkOf(relative, started.Decision.Name)
                .Bind(reader.ReadLink)
                .Map(text => Ownership.ThroughShortLink(relative, text))
                .IfNone(relative);
            var loaded = started.Report(check, started.Store.Match(
                Some: s => ImagesAndContainers(options, s, reader.ReadImageAndContainerConfigs(s.Driver, withImages: true)),
                None: () => RootCheckResult.None));
            return Ownership.FindLoaded(loaded, query).Match(Some: Right<string, Owner>, None: () =>
                started.Store.Match(
                        Some: s => Checker.Finish(check, reader, started, s),
                        None: () => Right<string, CheckReport>(loaded))
                    .Map(full => Ownership.OrphanFolder(full, query)
                        .Map(path => Ownership.WithOrphanBytes(full, path, reader.MeasureBytes(path)))
                        .IfNone(full))
                    .Map(full => Ownership.Find(full, query)));
        }).Bind(owner => owner);

    /// <summary>The read-only overlay mount of a container (<c>layerfn mount-command</c>): from the load and the container
    /// configs (for names) alone; the driver home, images and tar-split streams are not read.</summary>
    /// <param name="options">Root and rules.</param>
    /// <param name="container">A container ID, a unique prefix of 6 or more characters, or a container name.</param>
    /// <param name="target">Where the command mounts, e.g. <c>/mnt/container</c>.</param>
    /// <returns>Right(Right): the mount (<see cref="MountCommand.For(CheckReport, string, string, string)"/>, folders under the
    /// root's absolute path). Right(Left): why there is none (unknown or ambiguous container, mount not loaded, another
    /// driver). Left: why the root itself cannot be read.</returns>
    public static Either<string, Either<string, OverlayMount>> MountFor(LookupOptions options, string container, string target) =>
        OnRoot(options, reader =>
        {
            var check = options.AsCheck;
            var started = Checker.Start(check, reader, NullLogger.Instance);
            var report = started.Report(check, started.Store.Match(
                Some: s => RootCheckResult.None with
                {
                    Containers = RootChecks.Run(options.Moby, s.Driver, s.LayerDb, s.Load,
                        reader.ReadImageAndContainerConfigs(s.Driver, withImages: false)).Containers,
                },
                None: () => RootCheckResult.None));
            return MountCommand.For(report, reader.FullRoot, container, target);
        });

    // Only the images and containers of the checks: what FindLoaded needs besides the load.
    private static RootCheckResult ImagesAndContainers(LookupOptions options, Checker.LoadedStore s, RootSnapshot configs)
    {
        var checks = RootChecks.Run(options.Moby, s.Driver, s.LayerDb, s.Load, configs);
        return RootCheckResult.None with { Images = checks.Images, ImageRefs = checks.ImageRefs, Containers = checks.Containers };
    }

    /// <summary>A path under the root becomes relative to it; anything else (an ID, a path elsewhere) is returned as given.</summary>
    private static string RelativeToRoot(string asked, string fullRoot)
    {
        if (!asked.Contains('/')) return asked;
        var full = Path.GetFullPath(asked);
        return full.StartsWith(fullRoot + "/", StringComparison.Ordinal) ? full[(fullRoot.Length + 1)..] : asked;
    }

    // Opens the root as Checker.Check does, with the same messages for a root that cannot be read.
    private static Either<string, T> OnRoot<T>(LookupOptions options, Func<DockerRootReader, T> answer)
    {
        if (string.IsNullOrWhiteSpace(options.Root)) return Left<string, T>("the docker root is an empty path");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Root));
        var fs = new PhysicalRootFileSystem(full);
        using var reader = new DockerRootReader(full, fs);
        return Checker.RootError(options.Root, full, fs).Match(Some: Left<string, T>, None: () => Right<string, T>(answer(reader)));
    }
}
