using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>
/// The descriptor-relative calls of Linux's C library that the deleter walks with, as systemd's <c>rm_rf</c> and GNU
/// <c>rm</c>'s fts do. Source-generated (<see cref="LibraryImportAttribute"/>), so the native tool stays ahead-of-time
/// compiled. Names are bytes ending in NUL: nothing is decoded and encoded again on the way.
/// </summary>
internal static unsafe partial class LinuxCalls
{
    private const string LibC = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtEmptyPath = 0x1000;
    public const int AtStatxDontSync = 0x4000;

    public const int ORdOnly = 0;
    public const int ONonBlock = 0x800; // 04000 on every Linux architecture .NET runs on
    public const int OCloExec = 0x80000; // 02000000

    // O_DIRECTORY and O_NOFOLLOW differ between architectures: the generic 0200000/0400000 (x86, s390x,
    // LoongArch), 040000/0100000 on ARM and PowerPC. An architecture not listed here gets no descriptor walk at all:
    // a wrong O_NOFOLLOW would follow every link. DescriptorDeleter's probe also checks that a link is refused.
    private static readonly (int Directory, int NoFollow)? Flags = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 or Architecture.S390x or Architecture.LoongArch64 => (0x10000, 0x20000),
        Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le => (0x4000, 0x8000),
        _ => null,
    };

    /// <summary>Whether this architecture's open flags are known.</summary>
    public static bool FlagsKnown => Flags is not null;

    public static readonly int ODirectory = Flags?.Directory ?? 0;
    public static readonly int ONoFollow = Flags?.NoFollow ?? 0;

    /// <summary>How every directory is opened: read-only, a directory, never through a link at its last component, not inherited, never blocking.</summary>
    public static readonly int OpenDirectoryFlags = ORdOnly | ODirectory | ONoFollow | OCloExec | ONonBlock;

    // statx(2): what to ask for, and the attribute that marks the root of a mount (a bind mount of the same device too).
    public const uint StatxBasicStats = 0x7ff;
    public const ulong StatxAttrMountRoot = 0x2000;

    public const uint RenameNoReplace = 1;

    public const int ENoEnt = 2;
    public const int EExist = 17;
    public const int EIntr = 4;
    public const int EAcces = 13;
    public const int EPerm = 1;
    public const int EBusy = 16;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int EMFile = 24;
    public const int ENFile = 23;
    public const int ERoFs = 30;
    public const int ENameTooLong = 36;
    public const int ENotEmpty = 39;
    public const int ELoop = 40;
    public const int ENoSys = 38;

    // Directory entry types (d_type) and file types (st_mode & S_IFMT).
    public const byte DtUnknown = 0;
    public const byte DtDir = 4;
    public const byte DtReg = 8;
    public const byte DtLnk = 10;
    public const ushort SIfMt = 0xF000;
    public const ushort SIfDir = 0x4000;
    public const ushort SIfReg = 0x8000;
    public const ushort SIfLnk = 0xA000;

    [LibraryImport(LibC, EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int directory, byte* name, int flags);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport(LibC, EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int directory, byte* name, int flags);

    [LibraryImport(LibC, EntryPoint = "renameat2", SetLastError = true)]
    public static partial int RenameAt2(int fromDirectory, byte* fromName, int toDirectory, byte* toName, uint flags);

    [LibraryImport(LibC, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int directory, byte* name, int flags, uint mask, out StatxBuffer status);

    [LibraryImport(LibC, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int descriptor, byte* buffer, nuint length);

    [LibraryImport(LibC, EntryPoint = "symlinkat", SetLastError = true)]
    public static partial int SymlinkAt(byte* target, int directory, byte* name);

    [LibraryImport(LibC, EntryPoint = "realpath", SetLastError = true)]
    public static partial nint RealPath(byte* path, byte* resolved);

    [LibraryImport(LibC, EntryPoint = "free")]
    public static partial void Free(nint pointer);

    /// <summary>The <c>struct statx</c> of <c>linux/stat.h</c>: one layout on every architecture, unlike <c>struct stat</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(8)] public ulong Attributes;
        [FieldOffset(16)] public uint LinkCount;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(48)] public ulong Blocks;
        [FieldOffset(56)] public ulong AttributesMask;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;

        public readonly ushort FileType => (ushort)(Mode & SIfMt);

        public readonly bool IsDirectory => FileType == SIfDir;

        public readonly bool IsLink => FileType == SIfLnk;

        public readonly FileIdentity Identity => new(((ulong)DeviceMajor << 32) | DeviceMinor, Inode);

        /// <summary>Whether the kernel says this is the root of a mount (Linux 5.8 and later; older kernels leave it to the device comparison).</summary>
        public readonly bool IsMountRoot => (AttributesMask & StatxAttrMountRoot) != 0 && (Attributes & StatxAttrMountRoot) != 0;
    }
}
