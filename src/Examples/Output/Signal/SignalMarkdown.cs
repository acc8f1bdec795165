using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.Examples.Output.Signal
{
    /// <summary>The signal-propagation measurements as Markdown tables and as CSV.</summary>
    public static class SignalMarkdown
    {
        /// <summary>Writes the section: variance ratios (measured vs theory), then forward and backward std per layer.</summary>
        /// <param name="writer">Destination.</param>
        /// <param name="comparison">The measurements.</param>
        /// <param name="heading">Markdown heading prefix, e.g. <c>##</c>.</param>
        public static void Write(TextWriter writer, SignalComparison comparison, string heading = "##")
        {
            var c = CultureInfo.InvariantCulture;
            writer.WriteLine($"{heading} Signal propagation at initialization");
            writer.WriteLine();
            writer.WriteLine(string.Create(c,
                $"{comparison.Architecture.TextForm}, seed {comparison.Seed}, one batch of the first {comparison.BatchSize} training images; loss = mean NLL of the batch. Var ratio = Var(y_l)/Var(y_l−1) of consecutive layer outputs (pre-activation); theory = fan_in·Var(W_l)·c with the weights as drawn (c = ½ for ReLU, 1 for linear; He et al. 2015), geometric mean over the layers where it applies."));
            writer.WriteLine();
            writer.WriteLine("| Initializer | Var ratio, theory | Var ratio, measured | measured min … max | Output std, first → last layer | Gradient std, first → last layer | NLL at init |");
            writer.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var run in comparison.Runs)
            {
                if (run.Report is null)
                {
                    writer.WriteLine($"| {Escape(run.Label)} | failed: {Escape(run.Error ?? string.Empty)} | | | | | |");
                    continue;
                }
                var layers = run.Report.Signal.Layers;
                var measured = run.Ratios.Select(r => r.Measured).ToList();
                string range = measured.Count == 0 ? "—" : $"{G(measured.Min())} … {G(measured.Max())}";
                writer.WriteLine($"| {Escape(run.Label)} | {G(run.TheoryRatio)} | {G(run.MeasuredRatio)} | {range} | {G(layers[0].OutputStd)} → {G(layers[^1].OutputStd)} | {G(layers[0].GradientStd)} → {G(layers[^1].GradientStd)} | {run.Report.Signal.Loss.ToString("F4", c)} |");
            }
            writer.WriteLine();
            WritePerLayer(writer, comparison, heading + "#", "Output std per layer (forward)", forward: true);
            WritePerLayer(writer, comparison, heading + "#", "Gradient std per layer (backward)", forward: false);
        }

        /// <summary>One row per (initializer, layer): output mean and std, gradient std, variance ratio measured and theory.</summary>
        /// <param name="comparison">The measurements.</param>
        /// <returns>The CSV text.</returns>
        public static string Csv(SignalComparison comparison)
        {
            var sb = new StringBuilder("initializer,layer,index,output_mean,output_std,gradient_std,var_ratio_measured,var_ratio_theory\n");
            foreach (var run in comparison.Runs.Where(r => r.Report is not null))
            {
                var layers = run.Report!.Signal.Layers;
                for (int i = 0; i < layers.Count; i++)
                {
                    var ratio = i == 0 ? null : run.Ratios[i - 1];
                    sb.Append(CultureInfo.InvariantCulture,
                        $"\"{run.Label.Replace("\"", "\"\"", System.StringComparison.Ordinal)}\",{layers[i].LayerName},{i},{R(layers[i].OutputMean)},{R(layers[i].OutputStd)},{R(layers[i].GradientStd)},{(ratio is null ? "" : R(ratio.Measured))},{(ratio is null ? "" : R(ratio.Theory))}\n");
                }
            }
            return sb.ToString();
        }

        private static void WritePerLayer(TextWriter writer, SignalComparison comparison, string heading, string title, bool forward)
        {
            var runs = comparison.Runs.Where(r => r.Report is not null).ToList();
            writer.WriteLine($"{heading} {title}");
            writer.WriteLine();
            writer.WriteLine("| Layer | " + string.Join(" | ", runs.Select(r => Escape(r.Label))) + " |");
            writer.WriteLine("| --- | " + string.Join(" | ", runs.Select(_ => "---:")) + " |");
            var names = comparison.LayerNames;
            for (int i = 0; i < names.Count; i++)
            {
                writer.WriteLine($"| {names[i]} | " + string.Join(" | ", runs.Select(r => G(forward ? r.Report!.Signal.Layers[i].OutputStd : r.Report!.Signal.Layers[i].GradientStd))) + " |");
            }
            writer.WriteLine();
        }

        private static string G(double value) => double.IsNaN(value) ? "—" : value.ToString("G3", CultureInfo.InvariantCulture);

        private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string Escape(string text) => text.Replace("|", "\\|", System.StringComparison.Ordinal);
    }
}
