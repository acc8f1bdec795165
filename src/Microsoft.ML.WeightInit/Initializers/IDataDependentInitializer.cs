using System;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// A weight initializer that, after its per-tensor start (<see cref="IWeightInitializer.Initialize"/>), adjusts
    /// the weight from the layer's output on a calibration batch, as LSUV does.
    /// <see cref="Networks.NetworkInitializer"/> calls <see cref="Calibrate"/> once per layer whose weight uses such an
    /// initializer, in layer order, after every parameter of the network got its per-tensor initialization.
    /// </summary>
    public interface IDataDependentInitializer : IWeightInitializer
    {
        /// <summary>Adjusts <paramref name="weight"/> in place (under no-grad; it stays a leaf).</summary>
        /// <param name="weight">The layer's weight.</param>
        /// <param name="context">Which layer (role <see cref="ParameterRole.Weight"/>) and the generator.</param>
        /// <param name="layerOutput">Runs the network on the calibration batch and returns this layer's output (a new
        /// tensor the caller of the delegate disposes; computed without gradient).</param>
        /// <returns>What the calibration did.</returns>
        /// <exception cref="InvalidOperationException">The layer's output cannot be calibrated (e.g. its variance is 0
        /// or not finite).</exception>
        LayerCalibration Calibrate(torch.Tensor weight, WeightInitContext context, Func<torch.Tensor> layerOutput);
    }
}
