using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    /// <summary>conv + norm + LSTM + attention + head, registered in the order of test/parity/torch_module_oracle.py's Mixed.</summary>
    internal sealed class MixedModel : Module<torch.Tensor, torch.Tensor>
    {
        private readonly Module<torch.Tensor, torch.Tensor> conv = Conv1d(3, 8, 3);
        private readonly Module<torch.Tensor, torch.Tensor> norm = BatchNorm1d(8);
        private readonly TorchSharp.Modules.LSTM lstm = LSTM(8, 6, numLayers: 2, bidirectional: true);
        private readonly TorchSharp.Modules.MultiheadAttention attn = MultiheadAttention(12, 3);
        private readonly Module<torch.Tensor, torch.Tensor> head = Linear(12, 4);

        public MixedModel()
            : base(nameof(MixedModel))
        {
            RegisterComponents();
        }

        public override torch.Tensor forward(torch.Tensor input) => head.forward(norm.forward(conv.forward(input)).mean(new long[] { 2 }));
    }

    /// <summary>A custom container of named modules of any kind (Sequential takes only Tensor → Tensor modules).</summary>
    internal sealed class Tree : Module
    {
        public Tree(params (string Name, Module Module)[] children)
            : base(nameof(Tree))
        {
            foreach (var (name, module) in children)
            {
                register_module(name, module);
            }
        }
    }

    /// <summary>Builds the TorchSharp module of an oracle case's <c>{"type", "args"}</c> (PyTorch's keyword names).</summary>
    internal static class OracleModules
    {
        public static Module Build(string type, JsonElement a)
        {
            long L(string name, long fallback = 0) => a.TryGetProperty(name, out var v) ? v.GetInt64() : fallback;
            long? N(string name) => a.TryGetProperty(name, out var v) ? v.GetInt64() : null;
            bool B(string name, bool fallback) => a.TryGetProperty(name, out var v) ? v.GetBoolean() : fallback;
            long[] Kernel() => a.GetProperty("kernel_size").ValueKind == JsonValueKind.Array
                ? a.GetProperty("kernel_size").EnumerateArray().Select(x => x.GetInt64()).ToArray()
                : new[] { a.GetProperty("kernel_size").GetInt64() };
            long In() => L("in_channels");
            long Out() => L("out_channels");
            long G() => L("groups", 1);
            bool Bias() => B("bias", true);
            TorchSharp.Modules.TransformerEncoderLayer EncoderLayer(JsonElement l) =>
                TransformerEncoderLayer(l.GetProperty("d_model").GetInt64(), l.GetProperty("nhead").GetInt64(), l.GetProperty("dim_feedforward").GetInt64());
            TorchSharp.Modules.TransformerDecoderLayer DecoderLayer(JsonElement l) =>
                TransformerDecoderLayer(l.GetProperty("d_model").GetInt64(), l.GetProperty("nhead").GetInt64(), l.GetProperty("dim_feedforward").GetInt64());
            return type switch
            {
                "Linear" => Linear(L("in_features"), L("out_features"), hasBias: Bias()),
                "Bilinear" => Bilinear(L("in1_features"), L("in2_features"), L("out_features"), hasBias: Bias()),
                "Conv1d" => Conv1d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "Conv2d" => Kernel() is { Length: 2 } k
                    ? Conv2d(In(), Out(), (k[0], k[1]), groups: G(), bias: Bias())
                    : Conv2d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "Conv3d" => Conv3d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "ConvTranspose1d" => ConvTranspose1d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "ConvTranspose2d" => ConvTranspose2d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "ConvTranspose3d" => ConvTranspose3d(In(), Out(), Kernel()[0], groups: G(), bias: Bias()),
                "BatchNorm1d" => BatchNorm1d(L("num_features")),
                "BatchNorm2d" => BatchNorm2d(L("num_features")),
                "BatchNorm3d" => BatchNorm3d(L("num_features")),
                "GroupNorm" => GroupNorm(L("num_groups"), L("num_channels")),
                "InstanceNorm1d" => InstanceNorm1d(L("num_features"), affine: B("affine", false)),
                "InstanceNorm2d" => InstanceNorm2d(L("num_features"), affine: B("affine", false)),
                "InstanceNorm3d" => InstanceNorm3d(L("num_features"), affine: B("affine", false)),
                "LayerNorm" => LayerNorm(a.GetProperty("normalized_shape").EnumerateArray().Select(x => x.GetInt64()).ToArray()),
                "Embedding" => Embedding(L("num_embeddings"), L("embedding_dim"), padding_idx: N("padding_idx")),
                "EmbeddingBag" => EmbeddingBag(L("num_embeddings"), L("embedding_dim")),
                "RNN" => RNN(L("input_size"), L("hidden_size"), numLayers: L("num_layers", 1), bias: Bias(), bidirectional: B("bidirectional", false)),
                "LSTM" => LSTM(L("input_size"), L("hidden_size"), numLayers: L("num_layers", 1), bias: Bias(), bidirectional: B("bidirectional", false)),
                "GRU" => GRU(L("input_size"), L("hidden_size"), numLayers: L("num_layers", 1), bias: Bias(), bidirectional: B("bidirectional", false)),
                "RNNCell" => RNNCell(L("input_size"), L("hidden_size"), bias: Bias()),
                "LSTMCell" => LSTMCell(L("input_size"), L("hidden_size"), bias: Bias()),
                "GRUCell" => GRUCell(L("input_size"), L("hidden_size"), bias: Bias()),
                "MultiheadAttention" => MultiheadAttention(L("embed_dim"), L("num_heads"), bias: Bias(), add_bias_kv: B("add_bias_kv", false),
                    kdim: N("kdim"), vdim: N("vdim")),
                "TransformerEncoderLayer" => EncoderLayer(a),
                "TransformerDecoderLayer" => DecoderLayer(a),
                "TransformerEncoder" => TransformerEncoder(EncoderLayer(a.GetProperty("layer")), L("num_layers")),
                "TransformerDecoder" => TransformerDecoder(DecoderLayer(a.GetProperty("layer")), L("num_layers")),
                "Transformer" => Transformer(L("d_model"), L("nhead"), L("num_encoder_layers"), L("num_decoder_layers"), L("dim_feedforward")),
                "seq_cnn" => Sequential(Conv2d(1, 4, 3), BatchNorm2d(4), ReLU(), Conv2d(4, 8, 3, bias: false), GroupNorm(2, 8), ReLU(), Flatten(), Linear(32, 10)),
                "mixed" => new MixedModel(),
                _ => throw new ArgumentException($"No TorchSharp builder for oracle module type '{type}'."),
            };
        }

        /// <summary>The plan text of an oracle plan case's rules: <c>target=scheme(k=v, …); …</c>.</summary>
        public static string PlanText(JsonElement rules) => string.Join("; ", rules.EnumerateArray().Select(rule =>
        {
            var parts = rule.EnumerateArray().ToList();
            var arguments = parts[2].EnumerateObject().Select(o => new KeyValuePair<string, JsonElement>(o.Name, o.Value));
            return parts[0].GetString() + "=" + Initialization.OracleCase.FormatInitializer(parts[1].GetString()!, arguments);
        }));
    }
}
