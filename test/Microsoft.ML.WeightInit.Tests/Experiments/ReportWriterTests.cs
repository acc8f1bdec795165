using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Examples.Output.Comparison;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SkiaSharp;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>The Examples app's report files, read back: Markdown tables, CSV, JSON and the PNG.</summary>
    [TestClass]
    public sealed class ReportWriterTests
    {
        private static string s_directory = null!;
        private static ComparisonSummary s_summary = null!;

        [ClassInitialize]
        public static void WriteOnce(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-report-" + Guid.NewGuid().ToString("N"));
            s_summary = ComparisonSummary.Create(SyntheticComparison.ThreeSeeds());
            ComparisonReportFiles.Write(s_directory, s_summary, "synthetic");
        }

        [ClassCleanup]
        public static void Remove() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        public void Markdown_TablesParseBack_ToTheSummaryCells()
        {
            var lines = File.ReadAllLines(Path.Combine(s_directory, ComparisonReportFiles.Markdown));
            var loss = Table(lines, "## Average loss");
            var accuracy = Table(lines, "## Accuracy");

            CollectionAssert.AreEqual(new[] { "Epoch", "a", "b", "z", "c" }, loss[0]);
            Assert.AreEqual(1 + 1 + 2, loss.Length);   // header, separator, two epochs
            Assert.AreEqual("2", loss[3][0]);
            var (mean, std) = Parse(loss[3][1]);
            Assert.AreEqual(s_summary.Loss[2, "a"].Mean, mean, 5e-5);
            Assert.AreEqual(s_summary.Loss[2, "a"].Std, std, 5e-5);
            Assert.AreEqual("0.2100 ± 0.0141 (n=2)", loss[3][4]);
            var (accuracyMean, _) = Parse(accuracy[3][2]);
            Assert.AreEqual(0.91, accuracyMean, 5e-5);
            Assert.IsTrue(lines.Any(l => l.Contains("Welch", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Csv_ReadsBack_WithExactNumbers()
        {
            var epochs = CsvReport.Read<CsvReport.EpochRow>(Path.Combine(s_directory, ComparisonReportFiles.EpochsCsv));
            var summary = CsvReport.Read<CsvReport.SummaryRow>(Path.Combine(s_directory, ComparisonReportFiles.SummaryCsv));
            var runs = CsvReport.Read<CsvReport.RunRow>(Path.Combine(s_directory, ComparisonReportFiles.RunsCsv));

            Assert.AreEqual(23, epochs.Count);   // 11 runs × 2 epochs + the diverged run's one
            CollectionAssert.AreEqual(CsvReport.Epochs(s_summary.Result).ToList(), epochs);
            // The libtorch thread count of every epoch (it changes the last bits of the results) is in the file.
            CollectionAssert.AreEqual(s_summary.Result.Runs.SelectMany(r => r.History.Select(h => h.NumberOfThreads)).ToList(), epochs.Select(e => e.NumberOfThreads).ToList());
            Assert.IsTrue(epochs.Select(e => e.NumberOfThreads).Distinct().Count() > 1, "the fixture has epochs of different thread counts");
            Assert.AreEqual(8, summary.Count);
            var a2 = summary.Single(r => r.Initializer == "a" && r.Epoch == 2);
            Assert.AreEqual(s_summary.Loss[2, "a"].Mean, a2.LossMean);
            Assert.AreEqual(s_summary.Loss[2, "a"].Std, a2.LossStd);
            Assert.AreEqual(3, a2.Runs);
            Assert.AreEqual(12, runs.Count);
            var diverged = runs.Single(r => r.Status == "diverged");
            Assert.AreEqual(2, diverged.DivergedEpoch);
            Assert.AreEqual(7, diverged.DivergedStep);
            Assert.IsNull(diverged.MicroAccuracy);
        }

        [TestMethod]
        public void Json_ReadsBack_WithTheCellsAndRuns()
        {
            var document = JsonReport.Read(Path.Combine(s_directory, ComparisonReportFiles.Json))!;

            Assert.IsTrue(document.Complete);
            Assert.AreEqual(12, document.Runs.Count);
            Assert.AreEqual(0.2, document.TestSet.MajorityShare);
            var cell = document.Tables["averageLoss"][1]["a"];
            Assert.AreEqual(s_summary.Loss[2, "a"].Mean, cell.Mean);
            Assert.AreEqual(s_summary.Loss[2, "a"].Std, cell.Std);
            Assert.AreEqual(3, cell.N);
            Assert.AreEqual(0.995, document.Runs.Single(r => r.Initializer == "a" && r.Seed == 3).Epochs[1].Accuracy);
            CollectionAssert.AreEqual(new[] { 1, 2 }, document.Runs.Single(r => r.Initializer == "a" && r.Seed == 3).Epochs.Select(e => e.NumberOfThreads).ToArray(), "threads per epoch in the JSON");
            Assert.AreEqual(7, document.Runs.Single(r => r.Status == "diverged").DivergedStep);
            Assert.IsTrue(document.Differences.Single(d => d.Metric == ComparisonSummary.LossMetric).Significant);
            Assert.AreEqual(s_summary.Statement().Count, document.Statement.Count);
        }

        [TestMethod]
        public void Png_IsAValidImage()
        {
            string path = Path.Combine(s_directory, ComparisonReportFiles.Png);
            byte[] bytes = File.ReadAllBytes(path);

            Assert.IsTrue(bytes.Length > 1000, $"{bytes.Length} bytes");
            CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8).ToArray());
            using var bitmap = SKBitmap.Decode(path);
            Assert.IsNotNull(bitmap);
            Assert.IsTrue(bitmap.Width > 1000 && bitmap.Height > 300, $"{bitmap.Width} × {bitmap.Height}");
        }

        private static string[][] Table(string[] lines, string heading)
        {
            int start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal)) + 2;
            return lines.Skip(start).TakeWhile(l => l.StartsWith('|'))
                .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToArray();
        }

        private static (double Mean, double Std) Parse(string cell)
        {
            var parts = cell.Split('±');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1].Split('(')[0], CultureInfo.InvariantCulture));
        }
    }
}
