using System.Runtime.InteropServices;

namespace LayerFunctional.Edge;

/// <summary>The type of a file system object, from <c>lstat</c>/<c>stat</c> mode bits.</summary>
public enum FileType
{
    /// <summary>No such path.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (lstat only).</summary>
    Symlink,
    /// <summary>A FIFO (named pipe): opening it for reading would block.</summary>
    Fifo,
    /// <summary>A character device.</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A socket.</summary>
    Socket,
    /// <summary>The path could not be examined (permission denied, I/O error, link loop).</summary>
    Unreadable,
}

/// <summary>
/// Decides what a path is <em>before</em> anything opens it, so that a FIFO, socket or device named
/// like a metadata file is never opened (opening a FIFO for reading blocks until a writer comes).
/// Uses the .NET runtime's own native <c>lstat</c>/<c>stat</c> shim (<c>libSystem.Native</c>), whose
/// <c>FileStatus</c> record carries the POSIX mode in its second field on every Unix platform .NET supports.
/// </summary>
public static partial class FileTypes
{
    private const int TypeMask = 0xF000;

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int LStat(string path, byte* status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Stat(string path, byte* status);

    /// <summary>
    /// Opens a file for reading only, with no lock of any kind (.NET's <see cref="FileStream"/> takes a shared
    /// <c>flock</c> on every file it opens; this does not) and non-blocking, so that even a FIFO that
    /// appeared after its type was checked does not hang the reader. Linux <c>open(2)</c> with
    /// <c>O_RDONLY | O_CLOEXEC | O_NONBLOCK</c>; elsewhere a <see cref="FileStream"/> sharing everything.
    /// </summary>
    /// <param name="fullPath">Absolute path.</param>
    /// <returns>An unbuffered read-only stream that owns the descriptor.</returns>
    /// <exception cref="IOException">The file cannot be opened (the message names the system error).</exception>
    public static Stream OpenReadWithoutLock(string fullPath)
    {
        if (!OperatingSystem.IsLinux())
            return new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var fd = Libc.Open(fullPath, Libc.ReadOnly | Libc.NonBlocking | Libc.CloseOnExec);
        if (fd < 0) throw Libc.Failure(fullPath, Marshal.GetLastSystemError());
        return new DescriptorStream(fd, fullPath);
    }

    /// <summary>A read-only, forward-only stream over a regular file's descriptor: <c>pread(2)</c> per call (at the bytes read so far), nothing
    /// else (a <see cref="FileStream"/> adds an <c>fstat</c> and <c>lseek</c> calls to every file it opens). The length,
    /// when asked, comes from <c>statx</c> on the descriptor.</summary>
    private sealed unsafe class DescriptorStream(int fd, string fullPath) : Stream
    {
        private int descriptor = fd;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;

        public override long Length
        {
            get
            {
                var buffer = stackalloc byte[256];
                const uint sizeMask = 0x200;
                if (Libc.StatX(descriptor, "", Libc.AtEmptyPath, sizeMask, buffer) != 0) throw Libc.Failure(fullPath, Marshal.GetLastSystemError());
                return (long)*(ulong*)(buffer + 40);
            }
        }

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        // A regular file returns less than asked only at its end: the next read is answered without a system call.
        private bool atEnd;

        // Bytes read so far: the offset of the next positioned read.
        private long position;

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(descriptor < 0, this);
            if (atEnd || buffer.IsEmpty) return 0;
            fixed (byte* start = buffer)
            {
                var read = Libc.Read(descriptor, start, buffer.Length, position);
                if (read < 0) throw Libc.Failure(fullPath, Marshal.GetLastSystemError());
                atEnd = read < buffer.Length;
                position += read;
                return (int)read;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (descriptor >= 0) Libc.Close(descriptor);
            descriptor = -1;
            base.Dispose(disposing);
        }
    }

    /// <summary>The text of a symbolic link (<c>readlink(2)</c>, one call; .NET's <c>LinkTarget</c> adds an <c>lstat</c>);
    /// null when the path is not a link or cannot be read.</summary>
    /// <param name="fullPath">Absolute path.</param>
    public static unsafe string? ReadLink(string fullPath)
    {
        if (!OperatingSystem.IsLinux()) return new FileInfo(fullPath).LinkTarget;
        var buffer = stackalloc byte[4097];
        var length = Libc.ReadLink(fullPath, buffer, 4097);
        if (length < 0 || length > 4096) return null;
        return System.Text.Encoding.UTF8.GetString(buffer, (int)length);
    }

    /// <summary>The canonical path with every symbolic link in every component resolved (POSIX
    /// <c>realpath</c>); null when the path does not exist, loops, or cannot be examined.</summary>
    /// <param name="fullPath">Absolute path.</param>
    public static string? RealPath(string fullPath)
    {
        if (OperatingSystem.IsWindows()) return Path.GetFullPath(fullPath);
        try
        {
            var p = Libc.RealPath(fullPath, IntPtr.Zero);
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringUTF8(p); }
            finally { Libc.Free(p); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Path.GetFullPath(fullPath);
        }
    }

    /// <summary>Identity and size of a file, without following a final symbolic link (Linux <c>statx</c>,
    /// whose record layout is fixed by the kernel ABI).</summary>
    /// <param name="fullPath">Absolute path.</param>
    /// <returns>Device, inode, link count, apparent size in bytes and mode; None when it cannot be examined.</returns>
    public static unsafe (ulong Device, ulong Inode, uint Links, long Size, int Mode)? Identity(string fullPath)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = stackalloc byte[256];
        try
        {
            const uint basicStats = 0x7ff;
            if (Libc.StatX(Libc.AtCurrentDirectory, fullPath, Libc.AtSymlinkNoFollow, basicStats, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        return (device, *(ulong*)(buffer + 32), *(uint*)(buffer + 16), (long)*(ulong*)(buffer + 40), *(ushort*)(buffer + 28));
    }

    /// <summary>The type of <paramref name="fullPath"/> itself (a symbolic link is reported as such).</summary>
    /// <param name="fullPath">Absolute path.</param>
    public static FileType OfLink(string fullPath) => Query(fullPath, follow: false);

    /// <summary>The type of what <paramref name="fullPath"/> names, following symbolic links
    /// (a dangling link is <see cref="FileType.Missing"/>).</summary>
    /// <param name="fullPath">Absolute path.</param>
    public static FileType OfTarget(string fullPath) => Query(fullPath, follow: true);

    private static unsafe FileType Query(string fullPath, bool follow)
    {
        if (OperatingSystem.IsWindows()) return Fallback(fullPath);
        // The native FileStatus record is under 200 bytes; the mode is the int32 at offset 4.
        var buffer = stackalloc byte[512];
        int rc;
        try
        {
            rc = follow ? Stat(fullPath, buffer) : LStat(fullPath, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback(fullPath);
        }
        if (rc != 0)
        {
            var errno = Marshal.GetLastSystemError();
            // Only ENOENT is "not found" for Go (os.IsNotExist); ENOTDIR, ELOOP, EACCES are errors.
            return errno == 2 ? FileType.Missing : FileType.Unreadable;
        }
        var mode = *(int*)(buffer + 4);
        return (mode & TypeMask) switch
        {
            0x8000 => FileType.Regular,
            0x4000 => FileType.Directory,
            0xA000 => FileType.Symlink,
            0x1000 => FileType.Fifo,
            0x2000 => FileType.CharacterDevice,
            0x6000 => FileType.BlockDevice,
            0xC000 => FileType.Socket,
            _ => FileType.Unreadable,
        };
    }

    private static FileType Fallback(string fullPath)
    {
        try
        {
            var attributes = File.GetAttributes(fullPath);
            return (attributes & FileAttributes.Directory) != 0 ? FileType.Directory : FileType.Regular;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileType.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileType.Unreadable;
        }
    }

    /// <summary>A short lower-case name for messages: <c>fifo</c>, <c>socket</c>, <c>character device</c>, …</summary>
    /// <param name="type">A type.</param>
    public static string Describe(FileType type) => type switch
    {
        FileType.Fifo => "fifo",
        FileType.CharacterDevice => "character device",
        FileType.BlockDevice => "block device",
        FileType.Socket => "socket",
        FileType.Directory => "directory",
        FileType.Symlink => "symbolic link",
        FileType.Regular => "regular file",
        FileType.Missing => "missing",
        _ => "unreadable",
    };
}
