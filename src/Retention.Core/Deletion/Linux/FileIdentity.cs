namespace Retention.Deletion.Linux;

/// <summary>What a file is, whatever it is called: its device and inode. Two spellings of one folder share it; a swapped folder does not.</summary>
/// <param name="Device">The device (major and minor) it lives on.</param>
/// <param name="Inode">Its inode on that device.</param>
internal readonly record struct FileIdentity(ulong Device, ulong Inode);
