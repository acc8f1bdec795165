using System.Runtime.CompilerServices;

namespace Microsoft.ML.WeightInit
{
    /// <summary>Runs before any code of this assembly, hence before it can load libtorch.</summary>
    internal static class ModuleStartup
    {
#pragma warning disable CA2255 // A library's module initializer: the only point that precedes every path into libtorch.
        [ModuleInitializer]
        internal static void Initialize() => OpenMpWaitPolicySetup.Apply();
#pragma warning restore CA2255
    }
}
