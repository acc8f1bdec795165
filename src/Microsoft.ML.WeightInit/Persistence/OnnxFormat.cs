namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Names and numbers of the InitCnn ONNX model (inside an ML.NET model zip, or exported alone). Everything here is
    /// written into saved files: change nothing, add new names and a new <see cref="Version"/> instead. The graph a
    /// version writes is fixed too: a loader rebuilds it from the stored weights and metadata and requires the same
    /// graph, so a change of operators needs a new version.
    /// </summary>
    internal static class OnnxFormat
    {
        /// <summary>Format version written by this library. 1 was the base64 blob of release 0.1.0 (not read any more);
        /// 2 is the ONNX graph.</summary>
        public const int Version = 2;

        /// <summary>Format version of a model whose architecture is not the seed net (issue 18): version 2 plus the
        /// <see cref="ArchitectureKey"/> entry and the operators of the deep architectures (padded Conv, Tanh, Selu,
        /// GlobalAveragePool, BatchNormalization; Add for <c>resnet</c>; with batch normalization the
        /// <see cref="BatchCountsKey"/> entry). Seed-net models are still written as <see cref="Version"/>, byte for byte as
        /// before, so an older reader refuses a deep model by its version instead of misreading it (and a reader of
        /// version 3 that predates <c>resnet</c> refuses one by its architecture entry).</summary>
        public const int ArchitectureVersion = 3;

        /// <summary>Identifies an InitCnn ONNX model (<c>metadata_props["initcnn.format"]</c>).</summary>
        public const string Name = "Microsoft.ML.WeightInit/InitCnn";

        /// <summary>ONNX operator set the graph uses (default domain).</summary>
        public const long Opset = 13;

        /// <summary>ONNX IR version written (IR 8: ONNX 1.10+, any ONNX Runtime since 1.10).</summary>
        public const long IrVersion = 8;

        /// <summary>The model's producer_name.</summary>
        public const string Producer = "Microsoft.ML.WeightInit";

        // metadata_props keys, one per section of ModelMetadata.
        public const string FormatKey = "initcnn.format";
        public const string FormatVersionKey = "initcnn.format_version";
        public const string LibraryVersionKey = "initcnn.library_version";
        public const string ImageKey = "initcnn.image";
        public const string NormalizationKey = "initcnn.normalization";
        public const string ColumnsKey = "initcnn.columns";
        public const string LabelKeyValuesKey = "initcnn.label_key_values";
        public const string ConvolutionPathKey = "initcnn.convolution_path";
        public const string TrainingKey = "initcnn.training";
        public const string InitializationPlanKey = "initcnn.initialization_plan";
        public const string HistoryKey = "initcnn.history";

        /// <summary>The <c>NetworkArchitecture</c> text form (format version 3 only; absent means <c>mnist_net</c>).</summary>
        public const string ArchitectureKey = "initcnn.architecture";

        /// <summary>Batch normalization's <c>num_batches_tracked</c> buffers (format version 3, networks with batch
        /// normalization only): a JSON object, state-dict name → count. Training state that no operator reads, so it is
        /// kept out of the graph (ONNX Runtime removes an unused initializer with a warning at every session).</summary>
        public const string BatchCountsKey = "initcnn.num_batches_tracked";

        /// <summary>Output of an exported model: the arg-max class index of each image (int64, [N]).</summary>
        public const string PredictedIndexOutput = "PredictedIndex";

        /// <summary>Output of the graph inside an ML.NET chain: the arg-max index of the (single) image ML.NET scores
        /// per run (int64 [1]). Dropped at the end of the chain.</summary>
        public const string RowIndexOutput = "__InitCnn.PredictedIndex";

        /// <summary>Temporary column of the chain: <see cref="RowIndexOutput"/> hashed into one scalar key (ML.NET's
        /// ONNX columns are vectors; hashing with <c>combine</c> is the built-in way to a scalar).</summary>
        public const string IndexHashColumn = "__InitCnn.IndexHash";

        /// <summary>Temporary column of the chain: <see cref="IndexHashColumn"/> as UInt32.</summary>
        public const string IndexHashValueColumn = "__InitCnn.IndexHashValue";

        /// <summary>Temporary column of the chain: the label value of the predicted class.</summary>
        public const string PredictedValueColumn = "__InitCnn.PredictedValue";

        /// <summary>A CustomMapping contract of the version-1 zips (release 0.1.0; ML.NET stores it as UTF-16): its
        /// presence identifies them.</summary>
        public const string Version1Marker = "Microsoft.ML.WeightInit.InitCnn.Tag";
    }
}
