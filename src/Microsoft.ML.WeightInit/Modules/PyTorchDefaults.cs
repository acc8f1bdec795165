using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>One step of a module's reset: fill a parameter, or copy another parameter's values into it.</summary>
    /// <param name="Name">Parameter name relative to the unit.</param>
    /// <param name="Initializer">What fills it (null for a copy).</param>
    /// <param name="Role">Weight or bias (pytorch_default and error messages use it).</param>
    /// <param name="FanShape">Shape whose fans the scheme uses, or null.</param>
    /// <param name="CopyOf">For a copy: the source parameter's name relative to the unit.</param>
    internal sealed record ResetStep(string Name, IWeightInitializer? Initializer, ParameterRole Role, IReadOnlyList<long>? FanShape, string? CopyOf = null);

    /// <summary>
    /// PyTorch 1.13's default initialization of each supported layer type (its <c>reset_parameters</c>, and the order
    /// in which its Python constructor draws), as steps over the parameters TorchSharp 0.107 names the same way.
    /// </summary>
    internal static class PyTorchDefaults
    {
        private static readonly string[] NormTypes =
        {
            "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "GroupNorm", "LayerNorm",
        };

        private static readonly string[] KaimingTypes =
        {
            "Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
        };

        private static readonly Dictionary<string, int> RecurrentGates = new(StringComparer.Ordinal)
        {
            ["RNN"] = 1, ["GRU"] = 3, ["LSTM"] = 4, ["RNNCell"] = 1, ["GRUCell"] = 3, ["LSTMCell"] = 4,
        };

        private static readonly string[] Composites =
        {
            "Bilinear", "Embedding", "EmbeddingBag", "MultiheadAttention", "TransformerEncoderLayer", "TransformerDecoderLayer",
            "TransformerEncoder", "TransformerDecoder", "Transformer",
        };

        /// <summary>Every module type whose reset is known, for docs and messages.</summary>
        public static IEnumerable<string> KnownTypes => KaimingTypes.Concat(NormTypes).Concat(RecurrentGates.Keys).Concat(Composites);

        public static bool Knows(string type) => KnownTypes.Contains(type, StringComparer.Ordinal);

        /// <summary>Whether the type's running statistics (buffers) are reset too.</summary>
        public static bool HasRunningStats(string type) => type.StartsWith("BatchNorm", StringComparison.Ordinal) || type.StartsWith("InstanceNorm", StringComparison.Ordinal);

        /// <summary>PyTorch's kaiming_uniform_(w, a=√5) of Linear and the convolutions.</summary>
        private static IWeightInitializer KaimingA5 => PyTorchDefaultInitializer.WeightScheme;

        /// <summary>
        /// The modules inside a natively implemented module that PyTorch names (for type rules): for a parameter
        /// <c>layers.0.self_attn.out_proj.weight</c> of a TransformerEncoder, <c>layers</c> (ModuleList), <c>layers.0</c>
        /// (TransformerEncoderLayer), <c>layers.0.self_attn</c> (MultiheadAttention), <c>layers.0.self_attn.out_proj</c> (Linear).
        /// </summary>
        public static IEnumerable<(string Path, string Type)> InnerModules(string type, string parameterName)
        {
            var segments = parameterName.Split('.');
            var result = new List<(string, string)>();
            string prefix = string.Empty;
            int i = 0;
            void Add(string segment, string childType)
            {
                prefix = prefix.Length == 0 ? segment : prefix + "." + segment;
                result.Add((prefix, childType));
                type = childType;
                i++;
            }
            while (i < segments.Length - 1)
            {
                string s = segments[i];
                string? child = (type, s) switch
                {
                    ("Transformer", "encoder") => "TransformerEncoder",
                    ("Transformer", "decoder") => "TransformerDecoder",
                    ("TransformerEncoder" or "TransformerDecoder", "layers") => "ModuleList",
                    ("TransformerEncoder" or "TransformerDecoder", "norm") => "LayerNorm",
                    ("TransformerEncoderLayer" or "TransformerDecoderLayer", "self_attn" or "multihead_attn") => "MultiheadAttention",
                    ("TransformerEncoderLayer" or "TransformerDecoderLayer", "linear1" or "linear2") => "Linear",
                    ("TransformerEncoderLayer" or "TransformerDecoderLayer", "norm1" or "norm2" or "norm3") => "LayerNorm",
                    ("MultiheadAttention", "out_proj") => "Linear",
                    _ => null,
                };
                if (child is null)
                {
                    break;
                }
                string parentType = type;
                Add(s, child);
                if (child == "ModuleList" && i < segments.Length - 1)
                {
                    Add(segments[i], parentType + "Layer");
                }
            }
            return result;
        }

        /// <summary>The steps of a unit's reset in PyTorch's draw order.</summary>
        /// <exception cref="InvalidOperationException">A parameter the type must have is missing, or a parameter of the
        /// unit is not covered (the message names it).</exception>
        public static IReadOnlyList<ResetStep> Steps(ModuleUnit unit)
        {
            var parameters = unit.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var steps = new List<ResetStep>();
            string type = unit.Type;
            if (KaimingTypes.Contains(type))
            {
                LinearOrConv(steps, parameters, string.Empty, type.StartsWith("Conv", StringComparison.Ordinal));
            }
            else if (NormTypes.Contains(type))
            {
                Norm(steps, parameters, string.Empty);
            }
            else if (RecurrentGates.TryGetValue(type, out int gates))
            {
                Recurrent(steps, unit, parameters, gates);
            }
            else
            {
                switch (type)
                {
                    case "Bilinear":
                        Bilinear(steps, parameters);
                        break;
                    case "Embedding":
                    case "EmbeddingBag":
                        steps.Add(new ResetStep("weight", new NormalInitializer(), ParameterRole.Weight, null));
                        break;
                    case "MultiheadAttention":
                        Attention(steps, parameters, string.Empty);
                        break;
                    case "TransformerEncoderLayer":
                    case "TransformerDecoderLayer":
                        TransformerLayer(steps, parameters, string.Empty, type == "TransformerDecoderLayer");
                        break;
                    case "TransformerEncoder":
                    case "TransformerDecoder":
                        Stack(steps, parameters, string.Empty, type == "TransformerDecoder");
                        break;
                    case "Transformer":
                        Stack(steps, parameters, "encoder.", decoder: false);
                        Stack(steps, parameters, "decoder.", decoder: true);
                        var xavier = new XavierUniformInitializer();
                        foreach (var (name, tensor) in unit.Parameters.Where(p => p.Value.dim() > 1))
                        {
                            steps.Add(new ResetStep(name, xavier, ParameterRole.Weight, tensor.shape));
                        }
                        break;
                    default:
                        throw new InvalidOperationException($"No PyTorch reset for module type {type}.");
                }
            }
            var covered = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, _) in unit.Parameters)
            {
                if (!covered.Contains(name))
                {
                    throw new InvalidOperationException(
                        $"Parameter '{unit.Full(name)}' of the {type} is not one PyTorch's {type} has; its reset is not known.");
                }
            }
            return steps;
        }

        private static torch.Tensor Require(Dictionary<string, torch.Tensor> parameters, string name)
        {
            if (!parameters.TryGetValue(name, out var tensor))
            {
                throw new InvalidOperationException($"Expected a parameter '{name}'; the module has {string.Join(", ", parameters.Keys)}.");
            }
            return tensor;
        }

        /// <summary>nn.Linear / nn._ConvNd reset_parameters: kaiming_uniform_(a=√5), bias U(±1/√fan_in).</summary>
        private static void LinearOrConv(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters, string prefix, bool conv)
        {
            var weight = Require(parameters, prefix + "weight");
            steps.Add(new ResetStep(prefix + "weight", KaimingA5, ParameterRole.Weight, weight.shape));
            if (!parameters.ContainsKey(prefix + "bias"))
            {
                return;
            }
            long fanIn = Fans.Compute(weight.shape, prefix + "weight").FanIn;
            if (conv && fanIn == 0)
            {
                // _ConvNd draws no bias when fan_in is 0 (nn.Linear draws U(0, 0)).
                steps.Add(new ResetStep(prefix + "bias", null, ParameterRole.Bias, weight.shape));
                return;
            }
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            steps.Add(new ResetStep(prefix + "bias", new UniformInitializer(-bound, bound), ParameterRole.Bias, weight.shape));
        }

        /// <summary>nn.Bilinear: U(±1/√in1_features) for weight, then bias.</summary>
        private static void Bilinear(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters)
        {
            var weight = Require(parameters, "weight");
            double bound = 1 / Math.Sqrt(weight.shape[1]);
            var uniform = new UniformInitializer(-bound, bound);
            steps.Add(new ResetStep("weight", uniform, ParameterRole.Weight, null));
            if (parameters.ContainsKey("bias"))
            {
                steps.Add(new ResetStep("bias", uniform, ParameterRole.Bias, null));
            }
        }

        /// <summary>_NormBase / GroupNorm / LayerNorm: weight ones, bias zeros (no draws).</summary>
        private static void Norm(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters, string prefix)
        {
            if (parameters.ContainsKey(prefix + "weight"))
            {
                steps.Add(new ResetStep(prefix + "weight", new OnesInitializer(), ParameterRole.Weight, null));
            }
            if (parameters.ContainsKey(prefix + "bias"))
            {
                steps.Add(new ResetStep(prefix + "bias", new ZerosInitializer(), ParameterRole.Bias, null));
            }
        }

        /// <summary>RNNBase / RNNCellBase: every parameter U(±1/√hidden_size), in parameter order.</summary>
        private static void Recurrent(List<ResetStep> steps, ModuleUnit unit, Dictionary<string, torch.Tensor> parameters, int gates)
        {
            var hh = parameters.TryGetValue("weight_hh_l0", out var layer0) ? layer0 : Require(parameters, "weight_hh");
            long hidden = hh.shape[0] / gates;
            double stdv = hidden > 0 ? 1.0 / Math.Sqrt(hidden) : 0;
            var uniform = new UniformInitializer(-stdv, stdv);
            foreach (var (name, _) in unit.Parameters)
            {
                steps.Add(new ResetStep(name, uniform, name.StartsWith("bias", StringComparison.Ordinal) ? ParameterRole.Bias : ParameterRole.Weight, null));
            }
        }

        /// <summary>
        /// nn.MultiheadAttention: its constructor first builds out_proj (a Linear: kaiming_uniform_ a=√5, bias
        /// U(±1/√embed_dim), both drawn), then _reset_parameters: xavier_uniform_ of in_proj_weight (or q/k/v_proj_weight),
        /// zeros for in_proj_bias and out_proj.bias, xavier_normal_ of bias_k and bias_v.
        /// </summary>
        private static void Attention(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters, string prefix)
        {
            LinearOrConv(steps, parameters, prefix + "out_proj.", conv: false);
            var xavier = new XavierUniformInitializer();
            var projections = parameters.ContainsKey(prefix + "in_proj_weight")
                ? new[] { "in_proj_weight" }
                : new[] { "q_proj_weight", "k_proj_weight", "v_proj_weight" };
            foreach (string name in projections)
            {
                steps.Add(new ResetStep(prefix + name, xavier, ParameterRole.Weight, Require(parameters, prefix + name).shape));
            }
            if (parameters.ContainsKey(prefix + "in_proj_bias"))
            {
                steps.Add(new ResetStep(prefix + "in_proj_bias", new ZerosInitializer(), ParameterRole.Bias, null));
                if (parameters.ContainsKey(prefix + "out_proj.bias"))
                {
                    steps.Add(new ResetStep(prefix + "out_proj.bias", new ZerosInitializer(), ParameterRole.Bias, null));
                }
            }
            foreach (string name in new[] { "bias_k", "bias_v" })
            {
                if (parameters.TryGetValue(prefix + name, out var tensor))
                {
                    steps.Add(new ResetStep(prefix + name, new XavierNormalInitializer(), ParameterRole.Bias, tensor.shape));
                }
            }
        }

        /// <summary>TransformerEncoderLayer / TransformerDecoderLayer in their constructors' order.</summary>
        private static void TransformerLayer(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters, string prefix, bool decoder)
        {
            Attention(steps, parameters, prefix + "self_attn.");
            if (decoder)
            {
                Attention(steps, parameters, prefix + "multihead_attn.");
            }
            LinearOrConv(steps, parameters, prefix + "linear1.", conv: false);
            LinearOrConv(steps, parameters, prefix + "linear2.", conv: false);
            foreach (string norm in decoder ? new[] { "norm1.", "norm2.", "norm3." } : new[] { "norm1.", "norm2." })
            {
                Norm(steps, parameters, prefix + norm);
            }
        }

        /// <summary>
        /// TransformerEncoder / TransformerDecoder: PyTorch deep-copies the layer it is given (drawn once, at its own
        /// construction) into every layer, then the optional final norm.
        /// </summary>
        private static void Stack(List<ResetStep> steps, Dictionary<string, torch.Tensor> parameters, string prefix, bool decoder)
        {
            string first = prefix + "layers.0.";
            TransformerLayer(steps, parameters, first, decoder);
            foreach (string name in parameters.Keys.Where(n => n.StartsWith(prefix + "layers.", StringComparison.Ordinal) && !n.StartsWith(first, StringComparison.Ordinal)).ToList())
            {
                string rest = name[(prefix.Length + "layers.".Length)..];
                string source = first + rest[(rest.IndexOf('.') + 1)..];
                Require(parameters, source);
                steps.Add(new ResetStep(name, null, ParameterRole.Weight, null, CopyOf: source));
            }
            Norm(steps, parameters, prefix + "norm.");
        }
    }
}
