using System.Runtime.InteropServices;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// Makes sure a folder is ours alone before uploads are written into it: created 0700 when missing; refused when it is a
/// symbolic link, not a folder, or owned by another user (someone could read or swap the songs); tightened to 0700 otherwise.
/// </summary>
internal static partial class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Ensure(string path)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full) && !File.Exists(full) && new FileInfo(full).LinkTarget is null)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, OwnerOnly);
            }
        }

        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null)
        {
            throw new InvalidOperationException($"The spool folder '{full}' is a symbolic link; refusing to write uploads through it.");
        }

        if (!info.Exists)
        {
            throw new InvalidOperationException($"The spool path '{full}' exists but is not a folder.");
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (OwnerOf(full) is uint owner && owner != GetEffectiveUserId())
        {
            throw new InvalidOperationException($"The spool folder '{full}' belongs to another user (uid {owner}); choose a folder of this service's own.");
        }

        File.SetUnixFileMode(full, OwnerOnly);
    }

    /// <summary>The folder's owner from lstat(2), or null where the layout of struct stat is not known here.</summary>
    private static uint? OwnerOf(string path)
    {
        int uidOffset = (OperatingSystem.IsLinux(), RuntimeInformation.ProcessArchitecture) switch
        {
            (true, Architecture.X64) => 28,
            (true, Architecture.Arm64) => 24,
            _ => -1,
        };
        if (uidOffset < 0)
        {
            return null;
        }

        byte[] stat = new byte[256];
        try
        {
            if (LStat(path, ref stat[0]) != 0)
            {
                throw new InvalidOperationException($"The spool folder '{path}' could not be examined (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        return BitConverter.ToUInt32(stat, uidOffset);
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
