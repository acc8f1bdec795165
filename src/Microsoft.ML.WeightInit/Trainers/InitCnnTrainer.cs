using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Modules;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>
    /// Trains the classic MNIST convolutional network (PyTorch's <c>examples/mnist</c> <c>Net</c>) on TorchSharp, with a
    /// chosen weight initialization; or, with <see cref="Options.Architecture"/>, a deep MLP or plain CNN (see
    /// <see cref="NetworkArchitecture"/>). Reached through
    /// <see cref="InitCnnCatalog.InitCnn(MulticlassClassificationCatalog.MulticlassClassificationTrainers, InitCnnTrainer.Options)"/>.
    /// </summary>
    /// <remarks>
    /// <format type="text/markdown"><![CDATA[
    /// ### Input and output columns
    /// | Column | Type | Description |
    /// | --- | --- | --- |
    /// | `Label` | key type of K ≥ 2 values | The class; map raw labels with `MapValueToKey` (ByValue ordinality keeps digits in order). |
    /// | `Features` | known-size vector of Single | The image, C·H·W values (784 for MNIST: pixels in [0, 1]); dimensions [H, W] or [C, H, W] are read as such. |
    /// | `Score` (output) | vector of K Single | Class probabilities (softmax of the network's output). |
    /// | `PredictedLabel` (output) | key type of K values | The most probable class, with the label's key values. |
    ///
    /// ### Training algorithm details
    /// The network is conv1 (C→20, 5×5) → ReLU → max-pool 2 → conv2 (20→50, 5×5) → ReLU → max-pool 2 → fc1 (→500) →
    /// ReLU → fc2 (→K) → log-softmax. Features are normalized as (x − mean) / std. Parameters are initialized from a
    /// generator seeded with `Seed`: PyTorch's default reset first (so the default gives PyTorch's weights bit for
    /// bit), then the chosen initializers. Training is mini-batch SGD with momentum on the negative log-likelihood,
    /// shuffling every epoch; after each epoch the average NLL and accuracy on `ValidationSet` are recorded in the
    /// model's history. Convolutions run on a path verified against float64 once per process. The loss (or, after an epoch, a weight) becoming
    /// NaN or ∞ stops the fit with <see cref="TrainingDivergedException"/>.
    /// ]]></format>
    /// </remarks>
    public sealed class InitCnnTrainer : ITrainerEstimator<InitCnnTransformer, InitCnnModelParameters>
    {
        /// <summary>Name under which the trainer logs to <c>MLContext.Log</c>.</summary>
        public const string LoadName = "InitCnn";

        private readonly IHostEnvironment _environment;
        private readonly Options _options;

        /// <summary>Default values shared by <see cref="Options"/> and the catalog's flat overload.</summary>
        internal static class Defaults
        {
            /// <summary>Passes over the training data.</summary>
            public const int NumberOfEpochs = 5;

            /// <summary>Images per SGD step.</summary>
            public const int BatchSize = 64;

            /// <summary>Images per validation forward pass.</summary>
            public const int ValidationBatchSize = 1000;

            /// <summary>SGD step size.</summary>
            public const double LearningRate = 0.01;

            /// <summary>SGD momentum.</summary>
            public const double Momentum = 0.5;

            /// <summary>MNIST training-set mean pixel value.</summary>
            public const float NormalizationMean = 0.1307f;

            /// <summary>MNIST training-set pixel standard deviation.</summary>
            public const float NormalizationStd = 0.3081f;

            /// <summary>Seed of initialization and shuffling (the PyTorch example's default).</summary>
            public const int Seed = 1;
        }

        /// <summary>Options of <see cref="InitCnnTrainer"/>.</summary>
        public sealed class Options
        {
            /// <summary>Label column: a key type of K ≥ 2 values. Default <c>Label</c>.</summary>
            public string LabelColumnName = ColumnNames.Label;

            /// <summary>Feature column: a known-size vector of Single (C·H·W values). Default <c>Features</c>.</summary>
            public string FeatureColumnName = ColumnNames.Features;

            /// <summary>Output column of class probabilities. Default <c>Score</c>.</summary>
            public string ScoreColumnName = ColumnNames.Score;

            /// <summary>Output column of the predicted class key. Default <c>PredictedLabel</c>.</summary>
            public string PredictedLabelColumnName = ColumnNames.PredictedLabel;

            /// <summary>Passes over the training data (≥ 1). Default 5.</summary>
            public int NumberOfEpochs = Defaults.NumberOfEpochs;

            /// <summary>Training images per SGD step (≥ 1). Default 64.</summary>
            public int BatchSize = Defaults.BatchSize;

            /// <summary>Images per forward pass when validating (≥ 1). Default 1000, as the seed's test loader.</summary>
            public int ValidationBatchSize = Defaults.ValidationBatchSize;

            /// <summary>SGD step size (&gt; 0). Default 0.01.</summary>
            public double LearningRate = Defaults.LearningRate;

            /// <summary>SGD momentum in [0, 1). Default 0.5.</summary>
            public double Momentum = Defaults.Momentum;

            /// <summary>Subtracted from every feature value before training and scoring. Default 0.1307 (MNIST).</summary>
            public float NormalizationMean = Defaults.NormalizationMean;

            /// <summary>Divides every centred feature value (&gt; 0). Default 0.3081 (MNIST).</summary>
            public float NormalizationStd = Defaults.NormalizationStd;

            /// <summary>Seed of the generator behind initialization and shuffling. Default 1.</summary>
            public int Seed = Defaults.Seed;

            /// <summary>Initializer of every weight without a per-layer override. Default: PyTorch's reset
            /// (<see cref="PyTorchDefaultInitializer"/>: Kaiming uniform with a = √5).</summary>
            public IWeightInitializer WeightInitializer = new PyTorchDefaultInitializer();

            /// <summary>Initializer of every bias without a per-layer override. Default: PyTorch's reset,
            /// U(±1/√fan_in). The seed article zeroes biases (<see cref="ZerosInitializer"/>) when comparing schemes.</summary>
            public IWeightInitializer BiasInitializer = new PyTorchDefaultInitializer();

            /// <summary>Weight initializers by layer name (<c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>), overriding
            /// <see cref="WeightInitializer"/>. Default: none.</summary>
            public Dictionary<string, IWeightInitializer> LayerWeightInitializers = new();

            /// <summary>Bias initializers by layer name, overriding <see cref="BiasInitializer"/>. Default: none.</summary>
            public Dictionary<string, IWeightInitializer> LayerBiasInitializers = new();

            /// <summary>Zero the last layer (fc2's weight and bias) after the other initializers, so that the net
            /// starts by predicting the uniform distribution. Default false.</summary>
            public bool ZeroLastLayer;

            /// <summary>The plan's module-tree rules (exact paths such as <c>blocks.0.conv2.weight</c>, globs such as
            /// <c>blocks.*.conv2.weight</c>, types such as <c>BatchNorm2d.weight</c>), set by <see cref="UsePlan"/>.</summary>
            internal IReadOnlyList<InitializerRule> LayerRules = Array.Empty<InitializerRule>();

            /// <summary>Data scored after every epoch (average NLL and accuracy go into the model's history), with the
            /// same columns as the training data. Default: none.</summary>
            public IDataView? ValidationSet;

            /// <summary>Image channels C; 0 infers from the feature column (see <see cref="InputColumns"/>). Default 0.</summary>
            public int ImageChannels;

            /// <summary>Image height in pixels; 0 infers. Default 0.</summary>
            public int ImageHeight;

            /// <summary>Image width in pixels; 0 infers. Default 0.</summary>
            public int ImageWidth;

            /// <summary>Convolution path; null picks one verified against float64 on this CPU, and then conv1 + ReLU + max-pool
            /// of 1-channel images run as one fused kernel when it passed its own float64 check. Default null.</summary>
            public ConvolutionPath? ConvolutionPath;

            /// <summary>The network to train: <see cref="NetworkArchitecture.MnistNet"/> (the seed article's net, the
            /// default), or a deep one such as <c>NetworkArchitecture.Parse("mlp(depth=30, width=256, activation=relu)")</c>;
            /// saved with the model (ONNX export included). Default <see cref="NetworkArchitecture.MnistNet"/>.</summary>
            public NetworkArchitecture Architecture = NetworkArchitecture.MnistNet;

            /// <summary>libtorch intra-op threads; 0 keeps libtorch's default (one per core); more than
            /// <see cref="Environment.ProcessorCount"/> is capped at it, with a message in <c>mlContext.Log</c>. The count
            /// that ran is logged and recorded per epoch (<see cref="EpochMetrics.NumberOfThreads"/> in the model's
            /// history). Default 0.</summary>
            public int NumberOfThreads;

            /// <summary>Receives epoch, step, loss and images/s after every batch. Default: none.</summary>
            public IProgress<TrainingProgress>? Progress;

            /// <summary>Stops <c>Fit</c> between batches with <see cref="OperationCanceledException"/>. Default: none.</summary>
            public CancellationToken CancellationToken;

            /// <summary>
            /// Sets <see cref="WeightInitializer"/>, <see cref="BiasInitializer"/>, the per-layer overrides,
            /// <see cref="ZeroLastLayer"/> and the plan's path, glob and type rules (e.g. <c>blocks.*.conv2.weight=zeros</c>,
            /// <c>norms.*.weight=ones</c>) from a plan, e.g. <c>InitializerPlan.Parse("weight=xavier_uniform; bias=zeros")</c>.
            /// A rule that selects no parameter of the <see cref="Architecture"/> makes <c>Fit</c> throw an
            /// <see cref="ArgumentException"/> naming it.
            /// </summary>
            /// <param name="plan">The plan.</param>
            /// <returns>These options.</returns>
            public Options UsePlan(InitializerPlan plan)
            {
                ArgumentNullException.ThrowIfNull(plan);
                WeightInitializer = plan.Weight;
                BiasInitializer = plan.Bias;
                LayerWeightInitializers = new Dictionary<string, IWeightInitializer>(plan.WeightOverrides);
                LayerBiasInitializers = new Dictionary<string, IWeightInitializer>(plan.BiasOverrides);
                ZeroLastLayer = plan.ZeroLastLayer;
                LayerRules = plan.Rules;
                return this;
            }

            /// <summary>A copy whose per-layer dictionaries are copies too (the data views, initializers, progress and
            /// token are shared): the comparison and sweeps derive one run's options from the options they carry.</summary>
            internal Options Clone()
            {
                var copy = (Options)MemberwiseClone();
                copy.LayerWeightInitializers = new Dictionary<string, IWeightInitializer>(LayerWeightInitializers ?? new());
                copy.LayerBiasInitializers = new Dictionary<string, IWeightInitializer>(LayerBiasInitializers ?? new());
                return copy;
            }
        }

        /// <summary>Creates the trainer.</summary>
        /// <param name="mlContext">The context whose log receives training messages.</param>
        /// <param name="options">Options (copied when fitting).</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">A column name is empty, or the score and predicted-label columns share a name.</exception>
        public InitCnnTrainer(MLContext mlContext, Options options)
            : this((IHostEnvironment)(mlContext ?? throw new ArgumentNullException(nameof(mlContext))), options)
        {
        }

        internal InitCnnTrainer(IHostEnvironment environment, Options options)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            CheckColumnNames(options);
            Info = MLNetAccess.CreateTrainerInfo();
        }

        /// <summary>Column names must be given, and the two output columns must differ (else one hides the other).</summary>
        private static void CheckColumnNames(Options o)
        {
            foreach (var (name, value) in new[]
            {
                (nameof(Options.LabelColumnName), o.LabelColumnName), (nameof(Options.FeatureColumnName), o.FeatureColumnName),
                (nameof(Options.ScoreColumnName), o.ScoreColumnName), (nameof(Options.PredictedLabelColumnName), o.PredictedLabelColumnName),
            })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new ArgumentException($"{name} must name a column; got '{value}'.", name);
                }
            }
            if (o.ScoreColumnName == o.PredictedLabelColumnName)
            {
                throw new ArgumentException(
                    $"ScoreColumnName and PredictedLabelColumnName are both '{o.ScoreColumnName}': the two output columns need different names.",
                    nameof(Options.PredictedLabelColumnName));
            }
        }

        /// <summary>No normalization, calibration or caching needed; a validation set is supported.</summary>
        public TrainerInfo Info { get; }

        /// <summary>Trains on <paramref name="input"/>.</summary>
        /// <param name="input">Rows with the label and feature columns.</param>
        /// <returns>The trained model as a transformer.</returns>
        /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type (message names it).</exception>
        /// <exception cref="InvalidOperationException">No rows, a missing label, or a non-finite feature.</exception>
        /// <exception cref="TrainingDivergedException">The loss became NaN or ∞.</exception>
        /// <exception cref="OperationCanceledException">The options' cancellation token was signalled.</exception>
        public InitCnnTransformer Fit(IDataView input)
        {
            ArgumentNullException.ThrowIfNull(input);
            var o = _options;
            var shape = CheckInput(input.Schema, "training data");
            if (o.ValidationSet is not null)
            {
                var validationShape = CheckInput(o.ValidationSet.Schema, "validation set");
                if (validationShape != shape)
                {
                    throw new ArgumentOutOfRangeException(nameof(Options.ValidationSet),
                        $"The validation set has images {validationShape.Channels}×{validationShape.Height}×{validationShape.Width} with {validationShape.Classes} classes; the training data has {shape.Channels}×{shape.Height}×{shape.Width} with {shape.Classes}.");
                }
            }
            var settings = SettingsOf(o);
            settings.Validate();
            if (!(o.NormalizationStd > 0) || !float.IsFinite(o.NormalizationStd) || !float.IsFinite(o.NormalizationMean))
            {
                throw new ArgumentOutOfRangeException(nameof(Options.NormalizationStd),
                    $"NormalizationMean must be finite and NormalizationStd finite and > 0; got {o.NormalizationMean} and {o.NormalizationStd}.");
            }

            var host = _environment.Register(LoadName);
            using var channel = host.Start("Training");
            var columns = new InputColumns(o.LabelColumnName, o.FeatureColumnName);
            using var train = TensorDataset.FromDataView(input, columns, shape, o.NormalizationMean, o.NormalizationStd);
            using var validation = o.ValidationSet is null ? null : ValidationData(o.ValidationSet, columns, shape);
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"InitCnn: {train.Count} training images ({shape.Channels}×{shape.Height}×{shape.Width}, {shape.Classes} classes), {validation?.Count ?? 0} validation images; initialization {settings.Initialization.TextForm}, seed {o.Seed}."));
            return Train(_environment, o, train, validation, input.Schema[o.LabelColumnName].Annotations,
                line => channel.Info(MessageSensitivity.None, line));
        }

        /// <summary>
        /// Trains on data already in tensors (normalized as <paramref name="o"/> says), scoring
        /// <paramref name="validation"/> after every epoch: <see cref="Fit"/>'s training, shared with the comparison,
        /// which loads its data once for all runs.
        /// </summary>
        /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or ∞.</exception>
        /// <exception cref="OperationCanceledException">The options' cancellation token was signalled.</exception>
        internal static InitCnnTransformer Train(IHostEnvironment environment, Options o, TensorDataset train, TensorDataset? validation,
            DataViewSchema.Annotations? labelAnnotations, Action<string>? log)
        {
            var settings = SettingsOf(o);
            var outcome = TrainingLoop.Run(train, validation, settings, o.Progress, log, o.CancellationToken);
            return CreateModel(environment, o, outcome.Network, outcome.History, settings, labelAnnotations);
        }

        /// <summary>
        /// The one factory of trained models: wraps a network as the <see cref="InitCnnTransformer"/> that
        /// <paramref name="o"/> describes (columns, normalization). The transformer owns the network.
        /// </summary>
        internal static InitCnnTransformer CreateModel(IHostEnvironment environment, Options o, ClassifierNetwork network,
            IReadOnlyList<EpochMetrics> history, TrainingSettings settings, DataViewSchema.Annotations? labelAnnotations)
        {
            var model = new InitCnnModelParameters(network, o.NormalizationMean, o.NormalizationStd, history, settings, labelAnnotations);
            return new InitCnnTransformer(environment, model, o.FeatureColumnName, o.ScoreColumnName, o.PredictedLabelColumnName);
        }

        /// <summary>
        /// The schema after the trained model: the input's columns plus Score (vector of Single) and PredictedLabel
        /// (the label's key type).
        /// </summary>
        /// <param name="inputSchema">Shape of the training data.</param>
        /// <returns>The output shape.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The label is not a key or the features not a vector of Single.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            var o = _options;
            var label = inputSchema.LastOrDefault(c => c.Name == o.LabelColumnName);
            if (label.Name is null)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input has no label column '{o.LabelColumnName}'. Columns: {InputColumns.Available(inputSchema)}.");
            }
            if (!label.IsKey)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Label column '{o.LabelColumnName}' is {label.ItemType}; expected a key type (use MapValueToKey).");
            }
            var features = inputSchema.LastOrDefault(c => c.Name == o.FeatureColumnName);
            if (features.Name is null)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input has no feature column '{o.FeatureColumnName}'. Columns: {InputColumns.Available(inputSchema)}.");
            }
            if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Feature column '{o.FeatureColumnName}' is {features.Kind} of {features.ItemType}; expected a known-size vector of Single.");
            }
            // SchemaShape.Column has no public constructor: a public estimator copying the feature column (a vector
            // of Single) to Score and the label (a key with its key values) to PredictedLabel gives exactly the shape.
            var context = MLNetAccess.CatalogsOf(_environment);
            return context.Transforms.CopyColumns(o.ScoreColumnName, o.FeatureColumnName)
                .Append(context.Transforms.CopyColumns(o.PredictedLabelColumnName, o.LabelColumnName))
                .GetOutputSchema(inputSchema);
        }

        /// <summary>The validation set's tensors; its errors (no rows, a missing label, a NaN) say they are about it.</summary>
        private TensorDataset ValidationData(IDataView data, InputColumns columns, ImageShape shape)
        {
            try
            {
                return TensorDataset.FromDataView(data, columns, shape, _options.NormalizationMean, _options.NormalizationStd);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"In the validation set (Options.ValidationSet): {e.Message}", e);
            }
        }

        private ImageShape CheckInput(DataViewSchema schema, string what)
        {
            var o = _options;
            string? where = what == "training data" ? null : what;
            int classes = InputColumns.CheckLabel(schema, o.LabelColumnName, where);
            var (c, h, w) = InputColumns.CheckFeatures(schema, o.FeatureColumnName, o.ImageChannels, o.ImageHeight, o.ImageWidth, where);
            try
            {
                return new ImageShape(c, h, w, classes);
            }
            catch (ParameterRangeException e) when (where is not null)
            {
                throw new ArgumentOutOfRangeException(e.ParamName, $"In the {where}: {e.Reason}");
            }
        }

        /// <summary>The training protocol <paramref name="o"/> describes (what the network, the loop and the saved model
        /// need of the options).</summary>
        internal static TrainingSettings SettingsOf(Options o)
        {
            return new TrainingSettings
            {
                NumberOfEpochs = o.NumberOfEpochs,
                BatchSize = o.BatchSize,
                ValidationBatchSize = o.ValidationBatchSize,
                LearningRate = o.LearningRate,
                Momentum = o.Momentum,
                Seed = o.Seed,
                ConvolutionPath = o.ConvolutionPath,
                NumberOfThreads = o.NumberOfThreads,
                Architecture = o.Architecture ?? throw new ArgumentNullException(nameof(Options.Architecture)),
                Initialization = new InitializerPlan(
                    o.WeightInitializer ?? throw new ArgumentNullException(nameof(Options.WeightInitializer)),
                    o.BiasInitializer ?? throw new ArgumentNullException(nameof(Options.BiasInitializer)))
                {
                    WeightOverrides = new Dictionary<string, IWeightInitializer>(o.LayerWeightInitializers ?? new()),
                    BiasOverrides = new Dictionary<string, IWeightInitializer>(o.LayerBiasInitializers ?? new()),
                    ZeroLastLayer = o.ZeroLastLayer,
                    Rules = o.LayerRules ?? Array.Empty<InitializerRule>(),
                },
            };
        }
    }
}
