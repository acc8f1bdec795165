using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Modules;
using Spectre.Console;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>The table of <c>init-stats --model</c>: one row per parameter of a module tree.</summary>
    public static class ModuleInitTable
    {
        /// <summary>Path, module type, shape, initializer, fan_in/fan_out used, the plan target that chose it, and the
        /// measured mean and std of the values.</summary>
        /// <param name="records">What <see cref="Initializers.InitializerPlan.Apply"/> returned.</param>
        /// <param name="module">The initialized module (for the measured statistics).</param>
        /// <returns>The table.</returns>
        public static Table Build(IReadOnlyList<ParameterInitialization> records, torch.nn.Module module)
        {
            var tensors = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var table = new Table().Border(TableBorder.Rounded).Title("Parameters after initialization")
                .AddColumn("Parameter").AddColumn("Module").AddColumn("Shape").AddColumn("Initializer")
                .AddColumn(new TableColumn("fan_in").RightAligned()).AddColumn(new TableColumn("fan_out").RightAligned())
                .AddColumn("Rule").AddColumn(new TableColumn("Mean").RightAligned()).AddColumn(new TableColumn("Std").RightAligned());
            foreach (var r in records)
            {
                using var scope = torch.NewDisposeScope();
                var values = tensors[r.Path].detach().to_type(torch.ScalarType.Float64);
                double mean = values.numel() == 0 ? double.NaN : values.mean().item<double>();
                double std = values.numel() < 2 ? double.NaN : values.std().item<double>();
                table.AddRow(
                    Markup.Escape(r.Path), Markup.Escape(r.ModuleType), Markup.Escape("[" + string.Join(", ", r.Shape) + "]"),
                    Markup.Escape(r.Initializer), Fan(r.FanIn), Fan(r.FanOut), Markup.Escape(r.Rule ?? "(PyTorch default)"),
                    G(mean), G(std));
            }
            return table;
        }

        private static string Fan(long? fan) => fan?.ToString(CultureInfo.InvariantCulture) ?? "-";

        private static string G(double value) => double.IsNaN(value) ? "-" : value.ToString("G4", CultureInfo.InvariantCulture);
    }
}
