using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>An <see cref="InitCnnTransformer"/> to a model blob and back.</summary>
    internal static class ModelSnapshot
    {
        public static string Encode(InitCnnTransformer transformer)
        {
            var model = transformer.Model;
            var settings = model.Settings;
            var shape = model.ImageShape;
            var metadata = new ModelMetadata
            {
                LibraryVersion = LibraryVersion,
                Channels = shape.Channels,
                Height = shape.Height,
                Width = shape.Width,
                Classes = shape.Classes,
                NormalizationMean = model.NormalizationMean,
                NormalizationStd = model.NormalizationStd,
                FeatureColumnName = transformer.FeatureColumnName,
                ScoreColumnName = transformer.ScoreColumnName,
                PredictedLabelColumnName = transformer.PredictedLabelColumnName,
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
                    InitializationPlan = settings.Initialization.TextForm,
                    ZeroLastLayer = settings.Initialization.ZeroLastLayer,
                    WeightInitializer = settings.Initialization.Weight.TextForm,
                    BiasInitializer = settings.Initialization.Bias.TextForm,
                    LayerWeightInitializers = settings.Initialization.WeightOverrides.ToDictionary(kv => kv.Key, kv => kv.Value.TextForm),
                    LayerBiasInitializers = settings.Initialization.BiasOverrides.ToDictionary(kv => kv.Key, kv => kv.Value.TextForm),
                },
                History = model.History.ToList(),
            };
            return ModelBlob.Encode(metadata, NetworkState.Capture(model.Network));
        }

        /// <summary>Rebuilds the transformer; its network computes on this machine's verified convolution path.</summary>
        public static InitCnnTransformer Restore(IHostEnvironment environment, DecodedModel decoded, DataViewSchema.Annotations? labelAnnotations)
        {
            var m = decoded.Metadata;
            var shape = new ImageShape(m.Channels, m.Height, m.Width, m.Classes);
            var network = NetworkState.Create(shape, decoded.Tensors, ConvolutionPathSelector.Current.Path);
            var t = m.Training;
            var settings = new TrainingSettings
            {
                NumberOfEpochs = t.NumberOfEpochs,
                BatchSize = t.BatchSize,
                ValidationBatchSize = t.ValidationBatchSize,
                LearningRate = t.LearningRate,
                Momentum = t.Momentum,
                Seed = t.Seed,
                NumberOfThreads = t.NumberOfThreads,
                ConvolutionPath = Enum.TryParse<ConvolutionPath>(t.ConvolutionPath, out var path) ? path : null,
                Initialization = Plan(t),
            };
            var parameters = new InitCnnModelParameters(network, m.NormalizationMean, m.NormalizationStd, m.History, settings, labelAnnotations);
            return new InitCnnTransformer(environment, parameters, m.FeatureColumnName, m.ScoreColumnName, m.PredictedLabelColumnName);
        }

        private static string LibraryVersion =>
            typeof(ModelSnapshot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

        /// <summary>The plan from its text form; from its parts (custom initializers kept as text) if that fails.</summary>
        private static InitializerPlan Plan(TrainingRecord t) =>
            !string.IsNullOrEmpty(t.InitializationPlan) && InitializerPlan.TryParse(t.InitializationPlan, out var plan, out _) ? plan
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
