using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// Runs test/parity/torch_init_oracle.py once per test run with Debian's /usr/bin/python3 (PyTorch 1.13) into a
    /// temporary directory and reads its manifest. When that interpreter cannot import torch, <see cref="Unavailable"/>
    /// says why (tests then end inconclusive).
    /// </summary>
    internal sealed class TorchOracle
    {
        public const string Python = "/usr/bin/python3";

        private static readonly Lazy<TorchOracle> s_instance = new(() => Run("torch_init_oracle.py"), isThreadSafe: true);

        // test/parity/torch_module_oracle.py: module resets and plans applied to module trees (issue 16).
        private static readonly Lazy<TorchOracle> s_modules = new(() => Run("torch_module_oracle.py"), isThreadSafe: true);

        private TorchOracle(string? unavailable, string directory, IReadOnlyList<OracleCase> cases, string torchVersion)
        {
            Unavailable = unavailable;
            Directory = directory;
            Cases = cases;
            TorchVersion = torchVersion;
        }

        public static TorchOracle Instance => s_instance.Value;

        /// <summary>The module oracle (test/parity/torch_module_oracle.py).</summary>
        public static TorchOracle Modules => s_modules.Value;

        /// <summary>Why the oracle could not run, or null.</summary>
        public string? Unavailable { get; }

        public string Directory { get; }

        public IReadOnlyList<OracleCase> Cases { get; }

        public string TorchVersion { get; }

        /// <summary>Ends the calling test inconclusive when the oracle is unavailable.</summary>
        public static TorchOracle Require() => Require(Instance);

        /// <summary>Ends the calling test inconclusive when <paramref name="oracle"/> is unavailable.</summary>
        public static TorchOracle Require(TorchOracle oracle)
        {
            if (oracle.Unavailable is not null)
            {
                Assert.Inconclusive(oracle.Unavailable);
            }
            return oracle;
        }

        public IEnumerable<OracleCase> OfKind(string kind) => Cases.Where(c => c.Kind == kind);

        public float[] Read(OracleTensor tensor)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(Directory, tensor.File));
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }

        public byte[] ReadBytes(OracleTensor tensor) => File.ReadAllBytes(Path.Combine(Directory, tensor.File));

        private static TorchOracle Run(string scriptName)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "parity", scriptName);
            if (!File.Exists(Python))
            {
                return Missing($"{Python} does not exist (install Debian's python3-torch).");
            }
            var probe = Exec("-c \"import torch\"", out string probeError);
            if (probe != 0)
            {
                return Missing($"{Python} cannot import torch (install Debian's python3-torch): {probeError.Trim()}");
            }
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-parity-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
            int code = Exec($"\"{script}\" \"{directory}\"", out string error);
            if (code != 0)
            {
                throw new InvalidOperationException($"The oracle {scriptName} failed with exit code {code}: {error}");
            }
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
            var cases = manifest.RootElement.GetProperty("cases").EnumerateArray().Select(OracleCase.From).ToList();
            return new TorchOracle(null, directory, cases, manifest.RootElement.GetProperty("torch_version").GetString() ?? "?");
        }

        private static TorchOracle Missing(string reason) => new(reason, string.Empty, Array.Empty<OracleCase>(), string.Empty);

        private static int Exec(string arguments, out string error)
        {
            var start = new ProcessStartInfo(Python, arguments)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            error = stderr.Result;
            return process.ExitCode;
        }

        private static void TryDelete(string directory)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>One case of the oracle's manifest.</summary>
    internal sealed record OracleCase(
        string Id, string Kind, string Scheme, IReadOnlyList<KeyValuePair<string, JsonElement>> Params, long[] Shape, long Seed,
        IReadOnlyList<OracleTensor> Tensors, string? ErrorType, string? ErrorMessage, JsonElement? Value)
    {
        public bool Rejected => ErrorType is not null;

        /// <summary>The scheme's text form from its PyTorch keyword arguments, e.g. <c>normal(mean=0.5, std=0.1)</c>.</summary>
        public string TextForm => FormatInitializer(Scheme, Params);

        public string Describe() => $"{Id} {Kind} {TextForm} shape [{string.Join(", ", Shape)}] seed {Seed}";

        public static string FormatInitializer(string scheme, IEnumerable<KeyValuePair<string, JsonElement>> parameters)
        {
            var list = parameters.Select(p => p.Key + "=" + FormatValue(p.Value)).ToList();
            return list.Count == 0 ? scheme : $"{scheme}({string.Join(", ", list)})";
        }

        public static OracleCase From(JsonElement e)
        {
            var error = e.TryGetProperty("error", out var err) ? err : (JsonElement?)null;
            var tensors = e.TryGetProperty("tensors", out var ts)
                ? ts.EnumerateArray().Select(t => new OracleTensor(
                    t.GetProperty("name").GetString()!,
                    t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                    t.GetProperty("file").GetString()!,
                    t.GetProperty("sha256").GetString()!,
                    t.GetProperty("mean").GetDouble())).ToList()
                : new List<OracleTensor>();
            return new OracleCase(
                e.GetProperty("id").GetString()!,
                e.GetProperty("kind").GetString()!,
                e.GetProperty("scheme").GetString()!,
                e.GetProperty("params").EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList(),
                e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                e.GetProperty("seed").GetInt64(),
                tensors,
                error?.GetProperty("type").GetString(),
                error?.GetProperty("message").GetString(),
                e.TryGetProperty("value", out var v) ? v.Clone() : null);
        }

        private static string FormatValue(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            _ => value.GetRawText(),
        };
    }

    /// <summary>One tensor the oracle produced: raw little-endian float32 in <see cref="File"/>.</summary>
    internal sealed record OracleTensor(string Name, long[] Shape, string File, string Sha256, double Mean);
}
