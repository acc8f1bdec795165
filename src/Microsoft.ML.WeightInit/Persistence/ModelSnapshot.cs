using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Onnx;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>A trained model to its ONNX form (graph + metadata_props) and the metadata back to settings.</summary>
    internal static class ModelSnapshot
    {
        internal static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
        };

        /// <summary>The ONNX model of <paramref name="model"/> with <paramref name="columns"/> as its ML.NET columns.</summary>
        public static ModelProto Export(InitCnnModelParameters model, ColumnsRecord columns, bool forMLNet)
        {
            model.ThrowIfDisposed();
            var metadata = Describe(model, columns);
            var names = new GraphNames(columns.Features, columns.Score, forMLNet);
            var graph = OnnxGraph.Build(model.Architecture.Steps(model.ImageShape), model.ImageShape, model.NormalizationMean, model.NormalizationStd,
                NetworkState.Capture(model.Network), names);
            return OnnxGraph.Model(graph, Properties(metadata, model.Initialization), metadata.LibraryVersion);
        }

        /// <summary>The metadata of <paramref name="model"/>.</summary>
        public static ModelMetadata Describe(InitCnnModelParameters model, ColumnsRecord columns)
        {
            var settings = model.Settings;
            var shape = model.ImageShape;
            bool seedNet = model.Architecture == NetworkArchitecture.MnistNet;
            return new ModelMetadata
            {
                FormatVersion = seedNet ? OnnxFormat.Version : OnnxFormat.ArchitectureVersion,
                Architecture = model.Architecture.TextForm,
                LibraryVersion = LibraryVersion,
                Image = new ImageRecord { Channels = shape.Channels, Height = shape.Height, Width = shape.Width, Classes = shape.Classes },
                Normalization = new NormalizationRecord { Mean = model.NormalizationMean, Std = model.NormalizationStd },
                Columns = columns,
                LabelKeyValues = LabelKeyValues.From(model.LabelAnnotations, shape.Classes) ?? LabelKeyValues.Indices(shape.Classes),
                ConvolutionPath = model.ConvolutionPath.ToString(),
                Training = new TrainingRecord
                {
                    NumberOfEpochs = settings.NumberOfEpochs,
                    BatchSize = settings.BatchSize,
                    ValidationBatchSize = settings.ValidationBatchSize,
                    LearningRate = settings.LearningRate,
                    Momentum = settings.Momentum,
                    Seed = settings.Seed,
                    NumberOfThreads = settings.NumberOfThreads,
                    ConvolutionPath = settings.ConvolutionPath?.ToString(),
                    ZeroLastLayer = settings.Initialization.ZeroLastLayer,
                    WeightInitializer = settings.Initialization.Weight.TextForm,
                    BiasInitializer = settings.Initialization.Bias.TextForm,
                    LayerWeightInitializers = settings.Initialization.WeightOverrides.ToDictionary(kv => kv.Key, kv => kv.Value.TextForm),
                    LayerBiasInitializers = settings.Initialization.BiasOverrides.ToDictionary(kv => kv.Key, kv => kv.Value.TextForm),
                },
                History = model.History.ToList(),
                // Batch normalization's batch counts (exact int64); the rest of the state is in the graph.
                BatchCounts = NetworkState.BatchCounts(model.Network),
            };
        }

        /// <summary>The metadata_props entries, in a fixed order.</summary>
        public static IEnumerable<KeyValuePair<string, string>> Properties(ModelMetadata m, string initializationPlan)
        {
            yield return new(OnnxFormat.FormatKey, OnnxFormat.Name);
            yield return new(OnnxFormat.FormatVersionKey, m.FormatVersion.ToString(CultureInfo.InvariantCulture));
            yield return new(OnnxFormat.LibraryVersionKey, m.LibraryVersion);
            yield return new(OnnxFormat.ImageKey, JsonSerializer.Serialize(m.Image, Json));
            yield return new(OnnxFormat.NormalizationKey, JsonSerializer.Serialize(m.Normalization, Json));
            yield return new(OnnxFormat.ColumnsKey, JsonSerializer.Serialize(m.Columns, Json));
            yield return new(OnnxFormat.LabelKeyValuesKey, JsonSerializer.Serialize(m.LabelKeyValues, Json));
            yield return new(OnnxFormat.ConvolutionPathKey, m.ConvolutionPath);
            yield return new(OnnxFormat.TrainingKey, JsonSerializer.Serialize(m.Training, Json));
            yield return new(OnnxFormat.InitializationPlanKey, initializationPlan);
            yield return new(OnnxFormat.HistoryKey, JsonSerializer.Serialize(m.History, Json));
            if (m.FormatVersion == OnnxFormat.ArchitectureVersion)
            {
                yield return new(OnnxFormat.ArchitectureKey, m.Architecture);
            }
            if (m.BatchCounts is not null)
            {
                yield return new(OnnxFormat.BatchCountsKey, JsonSerializer.Serialize(m.BatchCounts, Json));
            }
        }

        /// <summary>The training settings recorded in <paramref name="m"/>.</summary>
        public static TrainingSettings Settings(ModelMetadata m, string initializationPlan)
        {
            var t = m.Training;
            return new TrainingSettings
            {
                NumberOfEpochs = t.NumberOfEpochs,
                BatchSize = t.BatchSize,
                ValidationBatchSize = t.ValidationBatchSize,
                LearningRate = t.LearningRate,
                Momentum = t.Momentum,
                Seed = t.Seed,
                NumberOfThreads = t.NumberOfThreads,
                ConvolutionPath = Enum.TryParse<ConvolutionPath>(t.ConvolutionPath, out var path) ? path : null,
                Architecture = NetworkArchitecture.Parse(m.Architecture),
                Initialization = Plan(t, initializationPlan),
            };
        }

        public static byte[] Bytes(ModelProto model) => model.ToByteArray();

        private static string LibraryVersion =>
            typeof(ModelSnapshot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

        /// <summary>The plan from its text form; from its parts (custom initializers kept as text) if that fails.</summary>
        private static InitializerPlan Plan(TrainingRecord t, string text) =>
            !string.IsNullOrEmpty(text) && InitializerPlan.TryParse(text, out var plan, out _) ? plan
                : new InitializerPlan(RecordedInitializer.From(t.WeightInitializer), RecordedInitializer.From(t.BiasInitializer))
                {
                    WeightOverrides = Overrides(t.LayerWeightInitializers),
                    BiasOverrides = Overrides(t.LayerBiasInitializers),
                    ZeroLastLayer = t.ZeroLastLayer,
                };

        private static Dictionary<string, IWeightInitializer> Overrides(Dictionary<string, string>? texts) =>
            (texts ?? new()).ToDictionary(kv => kv.Key, kv => RecordedInitializer.From(kv.Value));
    }
}
