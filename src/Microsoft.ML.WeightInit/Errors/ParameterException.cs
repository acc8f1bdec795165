using System;

namespace Microsoft.ML.WeightInit
{
    /// <summary>
    /// An error about one parameter or option value: its name (<see cref="ArgumentException.ParamName"/>) and the
    /// reason, kept apart. A caller that knows the value by another name (a text form's key, a command-line option, a
    /// JSON field) words its own error from <see cref="Reason"/> instead of reading the message.
    /// </summary>
    internal interface IParameterError
    {
        /// <summary>The parameter's name as the throwing API knows it.</summary>
        string? ParamName { get; }

        /// <summary>What is wrong, naming the value (no <c>(Parameter '…')</c> suffix), ending with a period.</summary>
        string Reason { get; }
    }

    /// <summary>An <see cref="ArgumentException"/> that carries its <see cref="IParameterError.Reason"/>.</summary>
    internal sealed class ParameterException : ArgumentException, IParameterError
    {
        /// <summary>Creates the error.</summary>
        /// <param name="reason">What is wrong (the message before ML.NET's parameter suffix).</param>
        /// <param name="paramName">The parameter's name.</param>
        /// <param name="innerException">The cause, or null.</param>
        public ParameterException(string reason, string paramName, Exception? innerException = null)
            : base(reason, paramName, innerException)
        {
            Reason = reason;
        }

        /// <inheritdoc/>
        public string Reason { get; }
    }

    /// <summary>An <see cref="ArgumentOutOfRangeException"/> that carries its <see cref="IParameterError.Reason"/>.</summary>
    internal sealed class ParameterRangeException : ArgumentOutOfRangeException, IParameterError
    {
        /// <summary>Creates the error.</summary>
        /// <param name="paramName">The parameter's name.</param>
        /// <param name="reason">What is wrong.</param>
        public ParameterRangeException(string paramName, string reason)
            : this(paramName, null, reason)
        {
        }

        /// <summary>Creates the error (arguments in <see cref="ArgumentOutOfRangeException"/>'s order).</summary>
        /// <param name="paramName">The parameter's name.</param>
        /// <param name="actualValue">The rejected value, or null.</param>
        /// <param name="reason">What is wrong.</param>
        public ParameterRangeException(string paramName, object? actualValue, string reason)
            : base(paramName, actualValue, reason)
        {
            Reason = reason;
        }

        /// <inheritdoc/>
        public string Reason { get; }
    }

    /// <summary>The reason of an argument error, for callers that name the parameter themselves.</summary>
    internal static class ParameterErrors
    {
        /// <summary>The <see cref="IParameterError.Reason"/> of one of this library's errors; the whole message of
        /// another (a framework's or third party's, which may end with its own parameter suffix).</summary>
        /// <param name="e">The error.</param>
        /// <returns>The reason.</returns>
        public static string ReasonOf(ArgumentException e) => e is IParameterError p ? p.Reason : e.Message;
    }
}
