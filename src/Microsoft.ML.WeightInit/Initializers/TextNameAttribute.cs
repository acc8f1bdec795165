using System;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The name of a constructor parameter in text forms, where it differs from the parameter's own name in snake case
    /// (e.g. <c>val</c> for <see cref="ConstantInitializer.Value"/>, PyTorch's name).
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
    internal sealed class TextNameAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="name">The text form's name of the parameter.</param>
        public TextNameAttribute(string name) => Name = name;

        /// <summary>The text form's name of the parameter.</summary>
        public string Name { get; }
    }
}
