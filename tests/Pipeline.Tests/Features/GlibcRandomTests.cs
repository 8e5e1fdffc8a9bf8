using System.Runtime.InteropServices;
using MusicClassification.Features.Rhythm;

namespace MusicClassification.Tests.Features;

/// <summary>The Degara tracker's noise is glibc's <c>rand()</c> of a fresh process, as Essentia's Linux builds draw it.</summary>
[TestClass]
public sealed class GlibcRandomTests
{
    [TestMethod]
    public void The_sequence_starts_as_a_fresh_glibc_process_does()
    {
        // The first values every C program on glibc prints for rand() without srand().
        var random = new GlibcRandom();
        int[] first = [random.Next(), random.Next(), random.Next(), random.Next(), random.Next()];
        CollectionAssert.AreEqual(new[] { 1804289383, 846930886, 1681692777, 1714636915, 1957747793 }, first);
    }

    [TestMethod]
    public void A_million_values_equal_this_machines_glibc()
    {
        // The independent truth is the C library itself, reseeded to a fresh process's state; only where it is glibc.
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out IntPtr libc) || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _))
        {
            Assert.Inconclusive("This machine's C library is not glibc; the fixed first values are checked elsewhere.");
            return;
        }

        var srand = Marshal.GetDelegateForFunctionPointer<SeedFunction>(NativeLibrary.GetExport(libc, "srand"));
        var rand = Marshal.GetDelegateForFunctionPointer<RandFunction>(NativeLibrary.GetExport(libc, "rand"));
        var ours = new GlibcRandom();
        srand(1);
        for (int i = 0; i < 1_000_000; i++)
        {
            int expected = rand();
            int actual = ours.Next();
            if (expected != actual)
            {
                Assert.Fail($"Value {i}: glibc {expected}, ours {actual}.");
            }
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SeedFunction(uint seed);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int RandFunction();
}
