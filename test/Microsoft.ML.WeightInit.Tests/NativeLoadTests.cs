using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests;

/// <summary>
/// TorchSharp's native library loads on this host, and the build's compatibility step
/// (eng/TorchSharpNativeCompat.targets) patched only the output copy of libLibTorchSharp.so.
/// </summary>
[TestClass]
public sealed class NativeLoadTests
{
    private const string NativeFileName = "libLibTorchSharp.so";
    private const string LibStdCxx = "libstdc++.so.6";
    private const string NewestNeededVersion = "GLIBCXX_3.4.32";

    [TestMethod]
    public void TorchSharpInitialisesAndMultipliesMatrices()
    {
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        using torch.Tensor a = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        using torch.Tensor b = torch.tensor(new float[] { 7, 8, 9, 10, 11, 12 }, new long[] { 3, 2 });
        using torch.Tensor product = torch.matmul(a, b);

        CollectionAssert.AreEqual(new long[] { 2, 2 }, product.shape);
        CollectionAssert.AreEqual(new float[] { 58, 64, 139, 154 }, product.data<float>().ToArray());
        Assert.StartsWith("2.10", torch.__version__);

        if (OperatingSystem.IsLinux())
        {
            // The copy that the process actually mapped is the one in the test's output directory.
            string? mapped = MappedLibraryPath(NativeFileName);
            Assert.IsNotNull(mapped, NativeFileName + " is not mapped into the process");
            Assert.AreEqual(OutputCopyPath(), mapped);
        }
    }

    [TestMethod]
    public void OutputCopyIsWeakenedOnlyWhereNeededAndNuGetCacheIsUntouched()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("The native compatibility step runs on Linux only.");
        }

        string output = OutputCopyPath();
        string cache = NuGetCacheCopyPath();
        if (!File.Exists(output) || !File.Exists(cache))
        {
            Assert.Inconclusive($"Missing {output} or {cache}.");
        }

        string hostLibrary = HostLibStdCxxPath()
            ?? throw new AssertFailedException($"No {LibStdCxx} found on this host.");
        bool hostLacksVersion = !MiniElf.DefinedVersions(File.ReadAllBytes(hostLibrary)).Contains(NewestNeededVersion);

        byte[] outputBytes = File.ReadAllBytes(output);
        byte[] cacheBytes = File.ReadAllBytes(cache);
        MiniElf.VersionNeed outputNeed = MiniElf.FindVersionNeed(outputBytes, LibStdCxx, NewestNeededVersion);
        MiniElf.VersionNeed cacheNeed = MiniElf.FindVersionNeed(cacheBytes, LibStdCxx, NewestNeededVersion);

        Assert.IsFalse(cacheNeed.IsWeak, $"The NuGet cache copy {cache} was modified.");
        Assert.AreEqual(hostLacksVersion, outputNeed.IsWeak,
            $"{hostLibrary} {(hostLacksVersion ? "lacks" : "defines")} {NewestNeededVersion}; output copy weak = {outputNeed.IsWeak}.");

        // Apart from that one vna_flags field the two copies are identical.
        Assert.HasCount(cacheBytes.Length, outputBytes);
        List<int> differing = Enumerable.Range(0, cacheBytes.Length).Where(i => cacheBytes[i] != outputBytes[i]).ToList();
        Assert.IsTrue(differing.All(i => i == outputNeed.FlagsOffset || i == outputNeed.FlagsOffset + 1),
            $"Unexpected differences at offsets {string.Join(", ", differing.Take(10))}.");
    }

    private static string OutputCopyPath()
    {
        return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", NativeFileName);
    }

    private static string NuGetCacheCopyPath()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = typeof(torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.107.0";
        return Path.Combine(packages, "torchsharp", version, "runtimes", "linux-x64", "native", NativeFileName);
    }

    /// <summary>The libstdc++ mapped into this process, else the first one in the usual directories.</summary>
    private static string? HostLibStdCxxPath()
    {
        string? mapped = MappedLibraryPath("libstdc++.so");
        if (mapped is not null)
        {
            return mapped;
        }
        string[] directories = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
        return directories.Select(d => Path.Combine(d, LibStdCxx)).FirstOrDefault(File.Exists);
    }

    /// <summary>Path of the first file in /proc/self/maps whose name starts with <paramref name="fileNamePrefix"/>.</summary>
    private static string? MappedLibraryPath(string fileNamePrefix)
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith(fileNamePrefix, StringComparison.Ordinal))
            {
                return line[slash..].Trim();
            }
        }
        return null;
    }

    /// <summary>Just enough ELF64 little-endian reading for .gnu.version_r / .gnu.version_d.</summary>
    private static class MiniElf
    {
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        internal sealed record VersionNeed(string Name, ushort Flags, int FlagsOffset)
        {
            public bool IsWeak => (Flags & 0x2) != 0; // VER_FLG_WEAK
        }

        private sealed record Section(uint Type, long Offset, uint Link, uint Info);

        internal static VersionNeed FindVersionNeed(byte[] elf, string file, string version)
        {
            Section verneed = Sections(elf).Single(s => s.Type == ShtGnuVerneed);
            Section strtab = Sections(elf)[(int)verneed.Link];
            long entry = verneed.Offset;
            for (uint i = 0; i < verneed.Info; i++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                long aux = entry + U32(elf, entry + 8);
                for (int j = 0; j < U16(elf, entry + 2); j++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    if (Str(elf, strtab, U32(elf, entry + 4)) == file && Str(elf, strtab, U32(elf, aux + 8)) == version)
                    {
                        return new VersionNeed(version, U16(elf, aux + 4), (int)(aux + 4));
                    }
                    aux += U32(elf, aux + 12);
                }
                entry += U32(elf, entry + 12);
            }
            throw new AssertFailedException($"No version need {version} on {file}.");
        }

        internal static HashSet<string> DefinedVersions(byte[] elf)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            Section verdef = Sections(elf).Single(s => s.Type == ShtGnuVerdef);
            Section strtab = Sections(elf)[(int)verdef.Link];
            long entry = verdef.Offset;
            for (uint i = 0; i < verdef.Info; i++)
            {
                // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32
                // first Elf64_Verdaux (vda_name u32, vda_next u32) names the version
                names.Add(Str(elf, strtab, U32(elf, entry + U32(elf, entry + 12))));
                entry += U32(elf, entry + 16);
            }
            return names;
        }

        private static List<Section> Sections(byte[] elf)
        {
            Assert.IsTrue(elf.Length > 64 && elf[0] == 0x7f && elf[1] == 'E' && elf[4] == 2 && elf[5] == 1, "not ELF64 LE");
            long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = U16(elf, 0x3A);
            int shnum = U16(elf, 0x3C);
            return Enumerable.Range(0, shnum)
                .Select(i => shoff + (long)i * shentsize)
                .Select(at => new Section(U32(elf, at + 4), (long)BitConverter.ToUInt64(elf, (int)at + 24), U32(elf, at + 40), U32(elf, at + 44)))
                .ToList();
        }

        private static string Str(byte[] elf, Section strtab, uint offset)
        {
            int start = (int)(strtab.Offset + offset);
            int end = Array.IndexOf(elf, (byte)0, start);
            return Encoding.UTF8.GetString(elf, start, end - start);
        }

        private static ushort U16(byte[] elf, long at) => BitConverter.ToUInt16(elf, (int)at);

        private static uint U32(byte[] elf, long at) => BitConverter.ToUInt32(elf, (int)at);
    }
}
