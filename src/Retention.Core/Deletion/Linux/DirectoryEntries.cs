using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Retention.Deletion.Linux;

/// <summary>
/// The entries of one directory, read by its descriptor (<c>getdents64</c>) before any is removed, kept as the bytes the
/// kernel gave: for each, its type and its name ending in NUL, with no string made of it. A folder of 100,000 files
/// costs its names' bytes, not 100,000 path strings.
/// </summary>
internal sealed unsafe class DirectoryEntries
{
    private const int ReadSize = 32 * 1024;

    // Each entry: its d_type (1 byte), its name's length without the NUL (2 bytes), the name, a NUL.
    private byte[] _packed = [];
    private int _length;
    private int _next;

    private DirectoryEntries()
    {
    }

    /// <summary>Reads every entry but <c>.</c> and <c>..</c>; on an error, returns <see langword="null"/> with the <c>errno</c>.</summary>
    public static DirectoryEntries? Read(int directory, out int error)
    {
        error = 0;
        var entries = new DirectoryEntries();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            fixed (byte* start = buffer)
            {
                while (true)
                {
                    var read = LinuxCalls.GetDents64(directory, start, (nuint)buffer.Length);
                    if (read < 0)
                    {
                        error = Marshal.GetLastPInvokeError();
                        if (error == LinuxCalls.EIntr)
                        {
                            continue;
                        }

                        return null;
                    }

                    if (read == 0)
                    {
                        return entries;
                    }

                    entries.Append(buffer.AsSpan(0, (int)read));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The next entry: its <c>d_type</c> and its name with the NUL after it; <see langword="false"/> when none is left.</summary>
    public bool TryNext(out byte type, out ReadOnlySpan<byte> nameWithNul)
    {
        if (_next >= _length)
        {
            type = 0;
            nameWithNul = default;
            return false;
        }

        type = _packed[_next];
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_packed.AsSpan(_next + 1));
        nameWithNul = _packed.AsSpan(_next + 3, length + 1);
        _next += 3 + length + 1;
        return true;
    }

    /// <summary>Whether any entry has a name that is not UTF-8 and reads as <paramref name="decoded"/> once decoded.</summary>
    public bool HasUndecodableNameReadingAs(string decoded)
    {
        var at = 0;
        while (at < _length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(_packed.AsSpan(at + 1));
            var name = _packed.AsSpan(at + 3, length);
            if (!System.Text.Unicode.Utf8.IsValid(name) && string.Equals(NativeName.Decode(name), decoded, StringComparison.Ordinal))
            {
                return true;
            }

            at += 3 + length + 1;
        }

        return false;
    }

    // linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name ending in NUL.
    private void Append(ReadOnlySpan<byte> records)
    {
        var at = 0;
        while (at < records.Length)
        {
            var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(records[(at + 16)..]);
            var type = records[at + 18];
            var name = records[(at + 19)..(at + recordLength)];
            name = name[..name.IndexOf((byte)0)];
            at += recordLength;
            if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
            {
                continue;
            }

            var needed = 3 + name.Length + 1;
            if (_length + needed > _packed.Length)
            {
                Array.Resize(ref _packed, Math.Max(_packed.Length * 2, _length + Math.Max(needed, records.Length)));
            }

            _packed[_length] = type;
            BinaryPrimitives.WriteUInt16LittleEndian(_packed.AsSpan(_length + 1), (ushort)name.Length);
            name.CopyTo(_packed.AsSpan(_length + 3));
            _packed[_length + 3 + name.Length] = 0;
            _length += needed;
        }
    }
}
