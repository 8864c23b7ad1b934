using System.Runtime.InteropServices;

namespace LayerFunctional.Edge;

/// <summary>
/// The C library calls the disk reader makes (Linux, glibc), declared once for <see cref="FileTypes"/> and
/// <see cref="NativeFolders"/>, with the <c>open</c> flags of the running architecture and one way to turn an
/// <c>errno</c> into the exception .NET's own file calls throw.
/// </summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirFd, byte* name, int flags);

    // pread takes a 64-bit offset in a 64-bit process (glibc and musl alike; musl 1.2.4 dropped the pread64 name that
    // dlsym would look up); a 32-bit process needs glibc's pread64 for one.
    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pread64", SetLastError = true)]
    private static partial nint PRead64(int fd, byte* buffer, nint count, long offset);

    private static nint ReadOnce(int fd, byte* buffer, nint count, long offset) =>
        IntPtr.Size == 8 ? PRead(fd, buffer, count, offset) : PRead64(fd, buffer, count, offset);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int StatX(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint ReadLink(string path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);

    /// <summary><c>pread(2)</c> at <paramref name="offset"/> (bytes from the file's start), tried again when a signal
    /// interrupts it (EINTR); negative on any other error. A positioned read, not <c>read(2)</c>: in a process with more than
    /// one thread, <c>read</c> takes the open file's position lock on every call (<c>fdget_pos</c>), <c>pread</c> does not.</summary>
    public static nint Read(int fd, byte* buffer, nint count, long offset)
    {
        while (true)
        {
            var read = ReadOnce(fd, buffer, count, offset);
            if (read >= 0 || Marshal.GetLastSystemError() != Interrupted) return read;
        }
    }

    // errno values (the same on x86-64 and arm64).
    public const int NotFound = 2, Interrupted = 4, PermissionDenied = 13, TooManyLinks = 40;

    // O_DIRECTORY and O_NOFOLLOW are 0x10000 and 0x20000 on x86-64, 0x4000 and 0x8000 on arm64 (asm-generic values).
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    public const int ReadOnly = 0, NonBlocking = 0x800, CloseOnExec = 0x80000;
    public static readonly int Directory = Arm64 ? 0x4000 : 0x10000, NoFollow = Arm64 ? 0x8000 : 0x20000;

    // statx: AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH; the size is the u64 at byte 40 of struct statx.
    public const int AtCurrentDirectory = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;

    /// <summary>What .NET's file calls throw for a failed call on <paramref name="fullPath"/>: permission denied is
    /// <see cref="UnauthorizedAccessException"/>, anything else <see cref="IOException"/>; the message names the path and the error.</summary>
    public static Exception Failure(string fullPath, int errno)
    {
        var message = $"{fullPath}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno == PermissionDenied ? new UnauthorizedAccessException(message) : new IOException(message, errno);
    }
}
