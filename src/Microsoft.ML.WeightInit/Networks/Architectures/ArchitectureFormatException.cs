using System;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// A <see cref="NetworkArchitecture"/> text form or value that cannot be used: an unknown family, an unknown or
    /// repeated parameter, a value that is not a number or is out of range. <see cref="ParameterName"/> names the
    /// parameter (<c>depth</c>, <c>width</c>, <c>activation</c>, <c>batch_norm</c>), or is null when the text as a whole
    /// is wrong (the family name, the parentheses).
    /// </summary>
    internal sealed class ArchitectureFormatException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong and what is expected.</param>
        /// <param name="parameterName">The parameter at fault, or null.</param>
        public ArchitectureFormatException(string message, string? parameterName)
            : base(message)
        {
            ParameterName = parameterName;
        }

        /// <summary>The text-form parameter at fault (<c>depth</c>, <c>width</c>, …), or null.</summary>
        public string? ParameterName { get; }
    }
}
