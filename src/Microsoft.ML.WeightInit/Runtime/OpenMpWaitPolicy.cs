namespace Microsoft.ML.WeightInit
{
    /// <summary>How libtorch's OpenMP threads wait for each other between parallel regions, and who chose it.</summary>
    /// <param name="Variable">The environment variable that decides it (<c>OMP_WAIT_POLICY</c>, or the one the user set:
    /// <c>GOMP_SPINCOUNT</c>, <c>KMP_BLOCKTIME</c>).</param>
    /// <param name="Value">Its value as the OpenMP runtime reads it, or null when nobody set one (the runtime's
    /// default: libgomp spins up to 300,000 times before it sleeps).</param>
    /// <param name="Source">Who chose it.</param>
    /// <remarks>On a machine where another program keeps a core busy, spinning OpenMP threads wait for a descheduled
    /// peer at every parallel region (measured on 2 cores: 3–10× slower than 1 thread); passive waiting gives the core
    /// back instead. The OpenMP runtime reads the variable once, when libtorch loads it, so
    /// Microsoft.ML.WeightInit sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the C library's environment before it loads
    /// libtorch, unless the user set one of the variables (left as is).</remarks>
    public sealed record OpenMpWaitPolicy(string Variable, string? Value, OpenMpWaitPolicySource Source)
    {
        /// <summary>The variable Microsoft.ML.WeightInit sets.</summary>
        public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

        /// <summary>The value it sets.</summary>
        public const string PassiveValue = "PASSIVE";

        /// <summary>One line for logs, e.g. <c>OpenMP wait policy: OMP_WAIT_POLICY=PASSIVE (set by Microsoft.ML.WeightInit
        /// before libtorch loaded)</c>.</summary>
        public override string ToString() => Source switch
        {
            OpenMpWaitPolicySource.Library => $"OpenMP wait policy: {Variable}={Value} (set by Microsoft.ML.WeightInit before libtorch loaded)",
            OpenMpWaitPolicySource.User => $"OpenMP wait policy: {Variable}={Value} (set in the environment by the user; left as is)",
            OpenMpWaitPolicySource.RuntimeAlreadyLoaded => $"OpenMP wait policy: the runtime's default (libtorch's OpenMP runtime was loaded before Microsoft.ML.WeightInit could set {WaitPolicyVariable}; set {WaitPolicyVariable}={PassiveValue} in the environment)",
            _ => $"OpenMP wait policy: the runtime's default ({WaitPolicyVariable} is set only on Linux and macOS; set it in the environment)",
        };
    }

    /// <summary>Who chose the <see cref="OpenMpWaitPolicy"/>.</summary>
    public enum OpenMpWaitPolicySource
    {
        /// <summary>Microsoft.ML.WeightInit set <c>OMP_WAIT_POLICY=PASSIVE</c> before libtorch loaded.</summary>
        Library,

        /// <summary>The user set <c>OMP_WAIT_POLICY</c>, <c>GOMP_SPINCOUNT</c> or <c>KMP_BLOCKTIME</c>; left as is.</summary>
        User,

        /// <summary>libtorch (and its OpenMP runtime) was loaded before Microsoft.ML.WeightInit ran: too late to set.</summary>
        RuntimeAlreadyLoaded,

        /// <summary>Not Linux or macOS: left to the runtime's default.</summary>
        NotSupported,
    }
}
