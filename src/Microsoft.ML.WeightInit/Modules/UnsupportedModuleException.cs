using System;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>
    /// A parameter belongs to a module type whose PyTorch reset is not known (a custom module that registers its own
    /// parameters, or a TorchSharp layer not in the supported list), and nothing else says how to fill it.
    /// </summary>
    public sealed class UnsupportedModuleException : ArgumentException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="parameterPath">Full path of the parameter, e.g. <c>head.scale</c>.</param>
        /// <param name="moduleType">Type name of the module that owns it, e.g. <c>PReLU</c>.</param>
        public UnsupportedModuleException(string parameterPath, string moduleType)
            : base($"Parameter '{parameterPath}' belongs to a module of type {moduleType}, whose PyTorch default initialization is not known. " +
                   $"Give it a rule in an initializer plan (e.g. '{moduleType}.{LastSegment(parameterPath)}=zeros' or '{parameterPath}=normal(std=0.02)') " +
                   "or pass UnknownModuleHandling.LeaveUntouched.", "module")
        {
            ParameterPath = parameterPath;
            ModuleType = moduleType;
        }

        /// <summary>Full path of the parameter.</summary>
        public string ParameterPath { get; }

        /// <summary>Type name of the module that owns the parameter.</summary>
        public string ModuleType { get; }

        private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];
    }
}
