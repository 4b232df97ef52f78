using System.Runtime.InteropServices;
using System.Text;

namespace Retention.Deletion.Linux;

/// <summary>
/// One deletion's (or measurement's) walk of a tree by descriptor, with its totals. An explicit stack of open folders,
/// at most <see cref="MaxOpenFolders"/> of them: deeper, the highest are closed and reopened on the way back up through
/// <c>..</c> of the child, checked by device and inode to be the folder that was left, as fts does. A tree moved while
/// it is walked stops the walk rather than lead it elsewhere.
/// </summary>
internal sealed unsafe class TreeWalk
{
    /// <summary>Folders held open at once; deeper trees reopen their ancestors on the way up.</summary>
    internal const int MaxOpenFolders = 64;

    private readonly string _top;
    private readonly bool _delete;
    private readonly ulong _device;
    private Dictionary<FileIdentity, uint>? _linksSeen;
    private string? _error;
    private bool _transient;
    private long _bytes;
    private long _allocated;
    private long _files;

    public TreeWalk(string top, bool delete, ulong device)
    {
        _top = top;
        _delete = delete;
        _device = device;
    }

    /// <summary>Whether something could not be deleted (or read).</summary>
    public bool Failed => _error is not null;

    /// <summary>Counts a file about to go (or that would): its bytes only when its last link goes, as the disk gets them back.</summary>
    public void CountFile(in LinuxCalls.StatxBuffer status)
    {
        _files++;
        if (status.FileType != LinuxCalls.SIfReg)
        {
            return;
        }

        if (status.LinkCount > 1)
        {
            // Deleting, the count is read just before this link goes: only the last link frees the data. Measuring,
            // nothing goes, so the data counts once every link has been seen in this walk; a link elsewhere keeps it.
            if (_delete)
            {
                return;
            }

            _linksSeen ??= [];
            var seen = _linksSeen.GetValueOrDefault(status.Identity) + 1;
            _linksSeen[status.Identity] = seen;
            if (seen < status.LinkCount)
            {
                return;
            }
        }

        _bytes += (long)status.Size;
        _allocated += (long)status.Blocks * 512;
    }

    /// <summary>Records the first failure; what follows from it (a folder left non-empty) is not a second one.</summary>
    public void Fail(string reason, bool transient)
    {
        if (_error is null)
        {
            _error = reason;
            _transient = transient;
        }
    }

    /// <summary>Records the first failure from an <c>errno</c>.</summary>
    public void Fail(int error, string path) => Fail(Errors.Describe(error, path), Errors.IsTransient(error));

    /// <summary>The outcome with the totals.</summary>
    public DeletionResult Result(string path, bool isDirectory) =>
        _error is null
            ? new DeletionResult(path, _delete ? DeletionOutcome.Deleted : DeletionOutcome.Measured, _bytes, _files) { IsDirectory = isDirectory, AllocatedBytes = _allocated }
            : new DeletionResult(path, DeletionOutcome.Failed, _bytes, _files, _error, _transient) { IsDirectory = isDirectory, AllocatedBytes = _allocated };

    /// <summary>
    /// Walks the tree under <paramref name="top"/> (an open folder this walk now owns and closes), deleting or counting
    /// everything below it but not the folder itself. Returns a refusal when the folder is a mount point.
    /// </summary>
    public string? EnterTop(int top, CancellationToken cancellationToken)
    {
        if (!DescriptorDeleter.Stat(top, out var status))
        {
            Fail(Marshal.GetLastPInvokeError(), _top);
            LinuxCalls.Close(top);
            return null;
        }

        if (status.Identity.Device != _device || status.IsMountRoot)
        {
            LinuxCalls.Close(top);
            return Errors.MountPoint(_top);
        }

        var entries = DirectoryEntries.Read(top, out var error);
        if (entries is null)
        {
            LinuxCalls.Close(top);
            Fail(error, _top);
            return null;
        }

        var stack = new List<Folder> { new(top, status.Identity, [], entries) };
        var lowestOpen = 0;
        try
        {
            while (stack.Count > 0)
            {
                var folder = stack[^1];
                if (folder.Entries.TryNext(out var type, out var name))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Visit(stack, folder, type, name) is { } child)
                    {
                        stack.Add(child);
                        if (stack.Count - lowestOpen > MaxOpenFolders)
                        {
                            LinuxCalls.Close(stack[lowestOpen].Descriptor);
                            stack[lowestOpen].Descriptor = -1;
                            lowestOpen++;
                        }
                    }

                    continue;
                }

                stack.RemoveAt(stack.Count - 1);
                if (stack.Count == 0)
                {
                    LinuxCalls.Close(folder.Descriptor);
                    folder.Descriptor = -1;
                    break;
                }

                var parent = stack[^1];
                if (parent.Descriptor < 0)
                {
                    if (!Reopen(stack, parent, folder))
                    {
                        LinuxCalls.Close(folder.Descriptor);
                        return null;
                    }

                    lowestOpen = stack.Count - 1;
                }

                LinuxCalls.Close(folder.Descriptor);
                folder.Descriptor = -1;
                if (_delete)
                {
                    RemoveFolder(stack, parent, folder.Name);
                }
            }
        }
        finally
        {
            foreach (var open in stack)
            {
                if (open.Descriptor >= 0)
                {
                    LinuxCalls.Close(open.Descriptor);
                }
            }
        }

        return null;
    }

    // One entry of an open folder: a file or link is unlinked (or counted) here; a folder is opened and returned to be walked.
    private Folder? Visit(List<Folder> stack, Folder folder, byte type, ReadOnlySpan<byte> nameWithNul)
    {
        fixed (byte* name = nameWithNul)
        {
            LinuxCalls.StatxBuffer status = default;
            var known = false;
            if (type is LinuxCalls.DtUnknown or LinuxCalls.DtReg)
            {
                // The size of a file, or what an entry is on a file system that does not say: read without following.
                if (!DescriptorDeleter.StatAt(folder.Descriptor, name, out status))
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error != LinuxCalls.ENoEnt)
                    {
                        Fail(error, PathOf(stack, nameWithNul));
                    }

                    return null; // vanished mid-walk: nothing left to free
                }

                known = true;
                type = status.IsDirectory ? LinuxCalls.DtDir : status.FileType == LinuxCalls.SIfReg ? LinuxCalls.DtReg : LinuxCalls.DtLnk;
            }

            if (type == LinuxCalls.DtDir)
            {
                var child = LinuxCalls.OpenAt(folder.Descriptor, name, LinuxCalls.OpenDirectoryFlags);
                if (child >= 0)
                {
                    return Enter(stack, child, nameWithNul);
                }

                var error = Marshal.GetLastPInvokeError();
                if (error == LinuxCalls.ENoEnt)
                {
                    return null;
                }

                if (error is not (LinuxCalls.ELoop or LinuxCalls.ENotDir))
                {
                    Fail(error, PathOf(stack, nameWithNul));
                    return null;
                }

                // Swapped for a link or a file since it was listed: removed as what it is now, never entered.
                known = DescriptorDeleter.StatAt(folder.Descriptor, name, out status);
                if (!known)
                {
                    return null;
                }
            }

            if (_delete && LinuxCalls.UnlinkAt(folder.Descriptor, name, 0) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != LinuxCalls.ENoEnt)
                {
                    Fail(error, PathOf(stack, nameWithNul));
                }

                return null;
            }

            if (known)
            {
                CountFile(status);
            }
            else
            {
                _files++; // a link, fifo, socket or device: no data of its own to free
            }
        }

        return null;
    }

    private Folder? Enter(List<Folder> stack, int child, ReadOnlySpan<byte> nameWithNul)
    {
        if (!DescriptorDeleter.Stat(child, out var status))
        {
            Fail(Marshal.GetLastPInvokeError(), PathOf(stack, nameWithNul));
            LinuxCalls.Close(child);
            return null;
        }

        if (status.Identity.Device != _device || status.IsMountRoot)
        {
            LinuxCalls.Close(child);
            Fail(Errors.MountPoint(PathOf(stack, nameWithNul)), transient: false);
            return null;
        }

        var entries = DirectoryEntries.Read(child, out var error);
        if (entries is null)
        {
            LinuxCalls.Close(child);
            Fail(error, PathOf(stack, nameWithNul));
            return null;
        }

        return new Folder(child, status.Identity, nameWithNul.ToArray(), entries);
    }

    // Back up to a folder whose descriptor was closed to bound the open ones: through the child's "..", which must be
    // the very folder that was left. Anything else means the tree was moved under the walk; it stops there.
    private bool Reopen(List<Folder> stack, Folder parent, Folder child)
    {
        byte* dotDot = stackalloc byte[] { (byte)'.', (byte)'.', 0 };
        var reopened = LinuxCalls.OpenAt(child.Descriptor, dotDot, LinuxCalls.OpenDirectoryFlags);
        if (reopened >= 0 && DescriptorDeleter.Stat(reopened, out var status) && status.Identity == parent.Identity)
        {
            parent.Descriptor = reopened;
            return true;
        }

        if (reopened >= 0)
        {
            LinuxCalls.Close(reopened);
        }

        Fail($"'{PathOf(stack, [])}' was moved while the tree below it was being deleted; the walk stopped rather than follow it", transient: true);
        return false;
    }

    private void RemoveFolder(List<Folder> stack, Folder parent, byte[] nameWithNul)
    {
        fixed (byte* name = nameWithNul)
        {
            if (LinuxCalls.UnlinkAt(parent.Descriptor, name, LinuxCalls.AtRemoveDir) == 0)
            {
                return;
            }
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == LinuxCalls.ENoEnt || (error == LinuxCalls.ENotEmpty && Failed))
        {
            return; // gone already, or left non-empty by the failure already recorded
        }

        Fail(error, PathOf(stack, nameWithNul));
    }

    // A path for messages only, decoded from the names on the stack; never used to reach a file.
    private string PathOf(List<Folder> stack, ReadOnlySpan<byte> nameWithNul)
    {
        var path = new StringBuilder(_top);
        for (var i = 1; i < stack.Count; i++)
        {
            path.Append('/').Append(NativeName.Decode(stack[i].Name));
        }

        if (!nameWithNul.IsEmpty)
        {
            path.Append('/').Append(NativeName.Decode(nameWithNul));
        }

        return path.ToString();
    }

    private sealed class Folder(int descriptor, FileIdentity identity, byte[] name, DirectoryEntries entries)
    {
        public int Descriptor { get; set; } = descriptor;

        public FileIdentity Identity { get; } = identity;

        public byte[] Name { get; } = name;

        public DirectoryEntries Entries { get; } = entries;
    }
}
