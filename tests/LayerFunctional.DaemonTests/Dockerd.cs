using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LayerFunctional.DaemonTests;

/// <summary>How a daemon's start-up ended.</summary>
public enum StartUp
{
    /// <summary>It answered on its socket.</summary>
    Started,
    /// <summary>It exited with an error before answering (e.g. "error initializing graphdriver").</summary>
    Refused,
    /// <summary>It died of a Go panic or a fatal runtime error (nil dereference, stack overflow).</summary>
    Crashed,
    /// <summary>It neither answered nor exited within the time allowed.</summary>
    Hung,
}

/// <summary>What a daemon did with a root, or what the check predicts it will do; sets are sorted (ordinal).</summary>
/// <param name="StartUp">How start-up ended.</param>
/// <param name="Driver">The graph driver in use (<c>GET /info</c>), "" when it did not start.</param>
/// <param name="SkippedLayers">Chain IDs of layers it failed to load (debug log "Failed to load layer").</param>
/// <param name="SkippedMounts">Mount names it failed to load (debug log "Failed to load mount").</param>
/// <param name="Images">Image IDs it lists (<c>GET /images/json?all=1</c>).</param>
/// <param name="Containers">Container IDs it lists (<c>GET /containers/json?all=1</c>).</param>
public sealed record DaemonAnswer(StartUp StartUp, string Driver, string[] SkippedLayers, string[] SkippedMounts, string[] Images, string[] Containers)
{
    /// <summary>One line per field, for a disagreement report.</summary>
    public override string ToString() =>
        $"start-up {StartUp}, driver '{Driver}'\n    skipped layers: {Join(SkippedLayers)}\n    skipped mounts: {Join(SkippedMounts)}"
        + $"\n    images: {Join(Images)}\n    containers: {Join(Containers)}";

    private static string Join(string[] items) => items.Length == 0 ? "(none)" : string.Join(" ", items.Select(Short));

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) && id.Length > 19 ? id[..19] : id.Length > 12 ? id[..12] : id;
}

/// <summary>
/// A real dockerd (Debian's docker.io, 20.10) started offline on a docker root: its own data root, exec root, socket and
/// pid file in a temporary folder, no bridge and no iptables, debug logging. It is asked what it loaded through the
/// Engine API on its unix socket, then stopped with SIGTERM; mounts it leaves under the folder are detached.
/// </summary>
public static partial class Dockerd
{
    /// <summary>The dockerd binary on PATH (or in /usr/sbin, /usr/bin), if any.</summary>
    public static string? Binary { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"]).Select(d => Path.Combine(d, "dockerd")).FirstOrDefault(File.Exists);

    /// <summary>True when this process runs as root (dockerd needs it).</summary>
    public static bool IsRoot => geteuid() == 0;

    /// <summary>Why the daemon tests cannot run here, or null when they can.</summary>
    public static string? WhyNot =>
        Environment.GetEnvironmentVariable("LAYERFN_DAEMON") == "0" ? "LAYERFN_DAEMON=0 turns the daemon tests off"
        : !OperatingSystem.IsLinux() ? "the daemon tests need Linux"
        : !IsRoot ? "the daemon tests start a real dockerd and need root (run as root, e.g. in CI)"
        : Binary is null ? "the daemon tests need dockerd (apt-get install -y docker.io); .ci/run installs it"
        : null;

    /// <summary>Drivers this host cannot run for a data root in <paramref name="folder"/>: aufs without the aufs file system in
    /// <c>/proc/filesystems</c>, btrfs and zfs unless the folder's file system is of that type (what <c>--host-lacks</c> says).</summary>
    /// <param name="folder">Where data roots are written.</param>
    public static LanguageExt.Seq<DriverName> HostLacks(string folder)
    {
        var fileSystems = File.ReadAllText("/proc/filesystems");
        var full = Path.GetFullPath(folder);
        // The mount with the longest mount point that contains the folder decides its file-system type.
        var type = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(" - "))
            .Select(p => (Point: p[0].Split(' ')[4], Type: p[1].Split(' ')[0]))
            .Where(m => full == m.Point || full.StartsWith(m.Point.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Point.Length).Select(m => m.Type).FirstOrDefault() ?? "";
        var lacks = new List<DriverName>();
        if (!fileSystems.Contains("\taufs\n", StringComparison.Ordinal)) lacks.Add("aufs");
        if (type != "btrfs") lacks.Add("btrfs");
        if (type != "zfs") lacks.Add("zfs");
        return LanguageExt.Prelude.toSeq(lacks);
    }

    /// <summary>The version dockerd prints (e.g. "Docker version 20.10.24+dfsg1, build 5d6db84").</summary>
    public static string Version()
    {
        using var p = Process.Start(new ProcessStartInfo(Binary!, "--version") { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    /// <summary>Starts dockerd on <paramref name="dataRoot"/> (which it may change), waits until it answers or ends,
    /// reads what it loaded and stops it.</summary>
    /// <param name="dataRoot">The docker root, a folder this run owns.</param>
    /// <param name="work">An empty folder for the exec root, socket, pid file and log (short path: unix sockets are limited to 107 bytes).</param>
    /// <param name="driver">A driver to name with <c>--storage-driver</c>, if any.</param>
    /// <param name="timeout">How long start-up may take.</param>
    public static async Task<(DaemonAnswer Answer, string Log)> Run(string dataRoot, string work, LanguageExt.Option<DriverName> driver, TimeSpan timeout)
    {
        var socket = Path.Combine(work, "d.sock");
        var log = Path.Combine(work, "d.log");
        var exec = Path.Combine(work, "x");
        Directory.CreateDirectory(exec);
        var args = new List<string>
        {
            "--data-root", dataRoot, "--exec-root", exec, "-H", "unix://" + socket, "--pidfile", Path.Combine(work, "d.pid"),
            "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--debug", "--config-file", WriteConfig(work),
        };
        if (driver.TrySome(out var named)) args.AddRange(["--storage-driver", named.Value]);
        var start = new ProcessStartInfo(Binary!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        await using var logFile = new StreamWriter(log);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = Client(socket);
        var clock = Stopwatch.StartNew();
        var started = false;
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            if (File.Exists(socket))
            {
                try
                {
                    using var ping = await http.GetAsync("_ping");
                    if (ping.IsSuccessStatusCode) { started = true; break; }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { }
            }
            await Task.Delay(50);
        }
        string[] images = [], containers = [];
        var usedDriver = "";
        if (started)
        {
            usedDriver = (await http.GetFromJsonAsync<JsonElement>("info")).GetProperty("Driver").GetString() ?? "";
            images = Ids(await http.GetFromJsonAsync<JsonElement>("images/json?all=1"));
            containers = Ids(await http.GetFromJsonAsync<JsonElement>("containers/json?all=1"));
        }
        var hung = !started && !process.HasExited;
        await Stop(process);
        process.WaitForExit();   // flushes the output handlers
        var text = string.Join("\n", lines);
        await logFile.WriteAsync(text);
        Cleanup(work, dataRoot);
        var outcome = started ? StartUp.Started
            : hung ? StartUp.Hung
            : Panic().IsMatch(text) ? StartUp.Crashed
            : StartUp.Refused;
        return (new DaemonAnswer(outcome, usedDriver,
            Sorted(FailedLayer().Matches(text).Select(m => m.Groups[1].Value)),
            Sorted(FailedMount().Matches(text).Select(m => m.Groups[1].Value)),
            Sorted(images), Sorted(containers)), text);
    }

    private static string[] Sorted(IEnumerable<string> items) => items.Distinct().Order(StringComparer.Ordinal).ToArray();

    private static string[] Ids(JsonElement list) => list.EnumerateArray().Select(e => e.GetProperty("Id").GetString() ?? "").ToArray();

    // No registry mirrors, no features: an empty daemon.json keeps the host's /etc/docker/daemon.json out of the run.
    private static string WriteConfig(string work)
    {
        var path = Path.Combine(work, "daemon.json");
        File.WriteAllText(path, "{}");
        return path;
    }

    private static HttpClient Client(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri("http://docker/"), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task Stop(Process process)
    {
        if (process.HasExited) return;
        _ = kill(process.Id, 15);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    // Its containerd (started with a config under the exec root) if dockerd died before stopping it, then every mount
    // under the work folder and the data root, deepest first (overlay2 bind-mounts its home; a dead daemon leaves it).
    private static void Cleanup(string work, string dataRoot)
    {
        foreach (var p in Process.GetProcessesByName("containerd"))
        {
            try
            {
                if (File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(work, StringComparison.Ordinal)) p.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        }
        for (var round = 0; round < 5; round++)
        {
            var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4].Replace("\\040", " "))
                .Where(m => m.StartsWith(work + "/", StringComparison.Ordinal) || m == dataRoot || m.StartsWith(dataRoot + "/", StringComparison.Ordinal))
                .OrderByDescending(m => m.Length).ToArray();
            if (mounts.Length == 0) return;
            foreach (var m in mounts) _ = umount2(m, 2);   // MNT_DETACH
        }
    }

    [GeneratedRegex(@"Failed to load layer (sha256:[0-9a-f]{64})")]
    private static partial Regex FailedLayer();

    [GeneratedRegex(@"Failed to load mount ([^:""\s]+)")]
    private static partial Regex FailedMount();

    [GeneratedRegex(@"^(panic: |fatal error: )", RegexOptions.Multiline)]
    private static partial Regex Panic();

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>Sends a signal to a process (libc <c>kill</c>).</summary>
    /// <param name="pid">The process.</param>
    /// <param name="signal">The signal number (15: SIGTERM).</param>
    /// <returns>0, or -1 on error.</returns>
    public static int Signal(int pid, int signal) => kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2(string target, int flags);
}
