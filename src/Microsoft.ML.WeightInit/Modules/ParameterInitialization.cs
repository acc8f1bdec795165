using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>
    /// How one parameter of a module tree was filled: the line of the <c>init-stats</c> table.
    /// </summary>
    /// <param name="Path">Full parameter path as in a state_dict, e.g. <c>encoder.layers.0.self_attn.in_proj_weight</c>.</param>
    /// <param name="ModuleType">Type of the module that owns the parameter (TorchSharp's class name, which is PyTorch's
    /// too), e.g. <c>MultiheadAttention</c>.</param>
    /// <param name="Shape">The parameter's shape.</param>
    /// <param name="Initializer">Text form of the initializer that gave the final values, e.g.
    /// <c>kaiming_uniform(a=2.23606797749979, mode=fan_in, nonlinearity=leaky_relu)</c>, <c>uniform(a=-0.25, b=0.25)</c>,
    /// <c>ones</c>; <c>untouched</c> for a parameter left as it was (<see cref="UnknownModuleHandling.LeaveUntouched"/>).</param>
    /// <param name="FanIn">fan_in the scheme used (of this tensor, or of the layer's weight for a bias), or null when
    /// the scheme uses none.</param>
    /// <param name="FanOut">fan_out the scheme used, or null.</param>
    /// <param name="Rule">The plan target that chose the initializer (e.g. <c>Conv2d.weight</c>, <c>*.bias</c>), or
    /// null for PyTorch's default.</param>
    public sealed record ParameterInitialization(
        string Path, string ModuleType, IReadOnlyList<long> Shape, string Initializer, long? FanIn, long? FanOut, string? Rule);
}
