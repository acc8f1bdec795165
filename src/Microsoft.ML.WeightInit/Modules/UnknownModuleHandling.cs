namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>What <see cref="ModuleInitializer.ResetParameters(TorchSharp.torch.nn.Module, TorchSharp.torch.Generator, UnknownModuleHandling)"/>
    /// and <see cref="Initializers.InitializerPlan.Apply"/> do with a parameter owned by a module type whose PyTorch reset they do not know.</summary>
    public enum UnknownModuleHandling
    {
        /// <summary>Throw <see cref="UnsupportedModuleException"/> naming the parameter's path and the module type (default).</summary>
        Throw,

        /// <summary>Leave the parameter as it is; its record says <c>untouched</c>.</summary>
        LeaveUntouched,
    }
}
