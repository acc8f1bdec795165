using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.WeightInit.Examples.Models
{
    /// <summary>The built-in TorchSharp models <c>init-stats --model</c> can initialize (no data needed).</summary>
    public static class ExampleModels
    {
        private static readonly Dictionary<string, (string Description, Func<Module> Build)> s_models = new(StringComparer.Ordinal)
        {
            ["transformer-encoder"] = ("TransformerEncoder: 2 × TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128)",
                () => TransformerEncoder(TransformerEncoderLayer(64, 4, 128), 2)),
            ["cnn-bn"] = ("Sequential CNN: Conv2d(1, 16, 3) BatchNorm2d ReLU MaxPool2d Conv2d(16, 32, 3) BatchNorm2d ReLU MaxPool2d Flatten Linear(800, 10)",
                () => Sequential(
                    Conv2d(1, 16, 3), BatchNorm2d(16), ReLU(), MaxPool2d(2),
                    Conv2d(16, 32, 3), BatchNorm2d(32), ReLU(), MaxPool2d(2),
                    Flatten(), Linear(32 * 5 * 5, 10))),
            ["lstm-attention"] = ("Embedding(1000, 32), 2-layer bidirectional LSTM(32, 32), MultiheadAttention(64, 4), Linear(64, 2)",
                () => new LstmAttentionModel()),
        };

        /// <summary>The names <c>--model</c> takes.</summary>
        public static IReadOnlyList<string> Names => s_models.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        /// <summary>Whether <paramref name="name"/> is a built-in model.</summary>
        public static bool Exists(string name) => s_models.ContainsKey(name);

        /// <summary>One line describing the model.</summary>
        public static string Describe(string name) => s_models[name].Description;

        /// <summary>Builds the model (the caller disposes it).</summary>
        public static Module Build(string name) => s_models[name].Build();

        private sealed class LstmAttentionModel : Module<torch.Tensor, torch.Tensor>
        {
            private readonly Module<torch.Tensor, torch.Tensor> embedding = Embedding(1000, 32);
            private readonly TorchSharp.Modules.LSTM lstm = LSTM(32, 32, numLayers: 2, bidirectional: true);
            private readonly TorchSharp.Modules.MultiheadAttention attention = MultiheadAttention(64, 4);
            private readonly Module<torch.Tensor, torch.Tensor> head = Linear(64, 2);

            public LstmAttentionModel()
                : base("LstmAttention")
            {
                RegisterComponents();
            }

            public override torch.Tensor forward(torch.Tensor tokens)
            {
                var (output, _, _) = lstm.call(embedding.call(tokens));
                var (attended, _) = attention.call(output, output, output);
                return head.call(attended.mean(new long[] { 0 }));
            }
        }
    }
}
