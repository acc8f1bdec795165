namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>One step tried by <see cref="MnistDataSource"/>, and why it failed if it did.</summary>
    internal sealed class MnistAcquireAttempt
    {
        internal MnistAcquireAttempt(MnistSourceKind kind, string source, string? failureReason)
        {
            Kind = kind;
            Source = source;
            FailureReason = failureReason;
        }

        /// <summary>Kind of source tried.</summary>
        public MnistSourceKind Kind { get; }

        /// <summary>What was tried, e.g. <c>local directory /data/mnist</c> or the URL of one file.</summary>
        public string Source { get; }

        /// <summary>Whether this step provided the data.</summary>
        public bool Succeeded => FailureReason is null;

        /// <summary>Why the step failed (file missing, checksum mismatch, timeout, ...); null when it succeeded.</summary>
        public string? FailureReason { get; }

        /// <summary>One line: the source, then "ok" or the failure reason.</summary>
        public override string ToString() => $"{Kind}: {Source}: {FailureReason ?? "ok"}";
    }
}
