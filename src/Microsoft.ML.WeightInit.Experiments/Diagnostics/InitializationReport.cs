using System.Collections.Generic;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>Everything <see cref="InitializationDiagnostics.Analyze"/> measures for one plan and seed.</summary>
    /// <param name="Plan">The plan's canonical text form.</param>
    /// <param name="Seed">The generator's seed.</param>
    /// <param name="Parameters">Per parameter: mean, std, min, max and the scheme's theory.</param>
    /// <param name="Signal">Per layer: forward output std and backward gradient std on the batch, and the loss.</param>
    /// <param name="Calibrations">What data-dependent initializers (LSUV) did, per layer (empty when none).</param>
    public sealed record InitializationReport(
        string Plan, long Seed, IReadOnlyList<ParameterStatistics> Parameters, SignalReport Signal, IReadOnlyList<LayerCalibration> Calibrations);
}
