using System;
using System.Linq;
using BenchmarkDotNet.Running;
using Microsoft.ML.WeightInit.PerformanceTests;

// Usage:
//   headline [--data DIR] [--iterations N]   run the headline set and print one Markdown table
//   memory-probe --epochs N [--data DIR]     (child process of the headline run) fit and print memory per epoch
//   bdn [BenchmarkDotNet arguments]          run benchmarks selectively with BenchmarkDotNet's own switcher
//   contention-probe [--threads N] [--seconds S]   (child process of eng/perf.sh's contention table) one measurement
//   contention-table RAW                     format the probes' lines (load configuration train/s score/s threads)
//   probes [--data DIR]                      quick look: per-layer rates and the IDataView → tensors load
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
PerfData.Directory = Option("--data");
switch (args.FirstOrDefault())
{
    case "memory-probe":
        Probes.RunMemoryChild(int.Parse(Option("--epochs") ?? "5", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "contention-probe":
        Console.WriteLine(Contention.Probe(
            int.Parse(Option("--threads") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("--seconds") ?? "6", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "contention-table":
        Console.Write(ContentionTable.Format(args[1]));
        return 0;
    case "probes":
        foreach (var (layer, ms, gflops) in Probes.LayerRates())
        {
            Console.WriteLine(System.FormattableString.Invariant($"{layer}: {ms:F2} ms per step, {gflops:F1} GFLOP/s"));
        }
        var (seconds, bytesPerRow, cursorBytesPerRow) = Probes.LoadTensors();
        Console.WriteLine(System.FormattableString.Invariant($"IDataView -> tensors: {seconds:F2} s, {bytesPerRow:F1} bytes allocated per row ({cursorBytesPerRow:F1} by the cursor alone)"));
        return 0;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(PerfData).Assembly).Run(args.Skip(1).ToArray(), BenchmarkConfigs.Long(3));
        return 0;
    default:
        int iterations = int.Parse(Option("--iterations") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine(Headline.Run(iterations));
        return 0;
}
