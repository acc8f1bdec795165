using System;
using System.Linq;
using BenchmarkDotNet.Running;
using Microsoft.ML.WeightInit.PerformanceTests;

// Usage:
//   headline [--data DIR] [--iterations N]   run the headline set and print one Markdown table
//   (any command) --train-rows N             keep only the first N training rows (a quick smoke run, not figures)
//   memory-probe --epochs N [--data DIR]     (child process of the headline run) fit and print memory per epoch
//   bdn [BenchmarkDotNet arguments]          run benchmarks selectively with BenchmarkDotNet's own switcher
//   contention-probe [--threads N] [--seconds S] [--one-graph] [--parts-per-thread K]   (child process of eng/perf.sh's contention table) one measurement
//   contention-table RAW                     format the probes' lines (load configuration train/s score/s threads)
//   probes [--data DIR]                      quick look: per-layer rates and the IDataView → tensors load
//   op-profile [--data DIR] [--rounds N] [--threads N] [--batch N]   per-op table of one training step, libtorch conv1 vs
//                                            the fused kernel (--batch 32 --threads 1: what one part of a split batch does)
//   scaling [--data DIR] [--iterations N]    fit time per image vs rows, 1 vs 2 threads, peak RSS of a 5-epoch fit
//   curves [--data DIR] [--seeds 1,2,3] [--epochs N] [--rows N]   accuracy per epoch, libtorch conv1 vs fused, per seed
//   lockstep [--data DIR] [--candidates K] [--steps N] [--rounds R] [--threads N]   K nets on the same batches: separate vs stacked
//   train-steps [--data DIR] [--steps N] [--fused true|false] [--threads N] [--parts P [--workers W] | --independent K]
//                                            bare-loop steps to profile with Linux perf; --parts P: each batch split
//                                            across P threads (1 libtorch thread each); --independent K: K fits at once
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
PerfData.Directory = Option("--data");
PerfData.TrainRows = Option("--train-rows") is { } trainRows ? long.Parse(trainRows, System.Globalization.CultureInfo.InvariantCulture) : null;
switch (args.FirstOrDefault())
{
    case "memory-probe":
        Probes.RunMemoryChild(int.Parse(Option("--epochs") ?? "5", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "contention-probe":
        Console.WriteLine(Contention.Probe(
            int.Parse(Option("--threads") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("--seconds") ?? "6", System.Globalization.CultureInfo.InvariantCulture),
            oneGraph: args.Contains("--one-graph"),
            partsPerThread: int.Parse(Option("--parts-per-thread") ?? "0", System.Globalization.CultureInfo.InvariantCulture)));
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
    case "op-profile":
        if (Option("--threads") is { } opThreads)
        {
            TorchSharp.torch.set_num_threads(int.Parse(opThreads, System.Globalization.CultureInfo.InvariantCulture));
        }
        Console.Write(OpProfile.Format(OpProfile.Run(
            int.Parse(Option("--rounds") ?? "7", System.Globalization.CultureInfo.InvariantCulture),
            batchSize: int.Parse(Option("--batch") ?? "64", System.Globalization.CultureInfo.InvariantCulture))));
        return 0;
    case "scaling":
        Console.WriteLine("| Measure | Value | Target |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var (measure, value, target) in Scaling.Run(int.Parse(Option("--iterations") ?? "3", System.Globalization.CultureInfo.InvariantCulture)))
        {
            Console.WriteLine($"| {measure} | {value} | {target} |");
        }
        return 0;
    case "train-steps":
        // A fixed run of the bare loop to profile from outside (Linux perf record): the data loads first, then the
        // steps run; the line printed marks where the steps began and ended.
        _ = PerfData.TrainTensors;
        var fused = (Option("--fused") ?? "true") == "true" && Microsoft.ML.WeightInit.Networks.ConvolutionPathSelector.Current.UsesFusedConv1;
        if (Option("--threads") is { } stepThreads)
        {
            TorchSharp.torch.set_num_threads(int.Parse(stepThreads, System.Globalization.CultureInfo.InvariantCulture));
        }
        Console.WriteLine("steps start");
        var stepWatch = System.Diagnostics.Stopwatch.StartNew();
        var stepPath = Microsoft.ML.WeightInit.Networks.ConvolutionPathSelector.Current.Path;
        long stepCount = long.Parse(Option("--steps") ?? "500", System.Globalization.CultureInfo.InvariantCulture);
        int parts = int.Parse(Option("--parts") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        int stepWorkers = int.Parse(Option("--workers") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        long seen = Option("--independent") is { } independent
            ? BareLoop.TrainIndependent(PerfData.TrainTensors, stepPath, int.Parse(independent, System.Globalization.CultureInfo.InvariantCulture), stepCount, fused)
            : BareLoop.Train(PerfData.TrainTensors, stepPath, steps: stepCount, fused: fused, parts: parts, workers: stepWorkers);
        Console.WriteLine(System.FormattableString.Invariant($"{seen} images in {stepWatch.Elapsed.TotalSeconds:F2} s ({seen / stepWatch.Elapsed.TotalSeconds:F0} images/s), fused conv1: {fused}, batch parts {parts}{(Option("--independent") is { } k ? $", {k} independent fits at 1 thread each" : "")}"));
        return 0;
    case "curves":
        Console.Write(Curves.Run(
            (Option("--seeds") ?? "1,2,3").Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            int.Parse(Option("--epochs") ?? "2", System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(Option("--rows") ?? "60000", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "conv2-variants":
        if (Option("--threads") is { } c2Threads)
        {
            TorchSharp.torch.set_num_threads(int.Parse(c2Threads, System.Globalization.CultureInfo.InvariantCulture));
        }
        Console.Write(Conv2Variants.Run());
        return 0;
    case "lockstep":
        if (Option("--threads") is { } lockstepThreads)
        {
            TorchSharp.torch.set_num_threads(int.Parse(lockstepThreads, System.Globalization.CultureInfo.InvariantCulture));
        }
        Console.Write(LockstepProbe.Run(
            int.Parse(Option("--candidates") ?? "10", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("--steps") ?? "30", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("--rounds") ?? "5", System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(PerfData).Assembly).Run(args.Skip(1).ToArray(), BenchmarkConfigs.Long(3));
        return 0;
    default:
        int iterations = int.Parse(Option("--iterations") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine(Headline.Run(iterations));
        return 0;
}
