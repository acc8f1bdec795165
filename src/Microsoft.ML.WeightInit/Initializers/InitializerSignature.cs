using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// A scheme's text-form signature, read from the one place it is written: the record's primary constructor. Its
    /// parameters in order are the text form's parameters; each is named in snake case (<c>MaxIterations</c> →
    /// <c>max_iterations</c>) unless <see cref="TextNameAttribute"/> names it; a default value is the text form's
    /// default and a parameter without one is required. The value of a parameter is the record's property of the same
    /// name. Built once per type (cached).
    /// </summary>
    internal sealed class InitializerSignature
    {
        private static readonly ConcurrentDictionary<Type, InitializerSignature> Cache = new();

        private InitializerSignature(Type type, ConstructorInfo constructor, IReadOnlyList<InitializerParameter> parameters)
        {
            Type = type;
            Constructor = constructor;
            Parameters = parameters;
        }

        /// <summary>The initializer's type.</summary>
        public Type Type { get; }

        /// <summary>The primary constructor.</summary>
        public ConstructorInfo Constructor { get; }

        /// <summary>The text form's parameters, in the constructor's order.</summary>
        public IReadOnlyList<InitializerParameter> Parameters { get; }

        /// <summary>The signature of an initializer type.</summary>
        /// <param name="type">A type derived from <see cref="WeightInitializer"/>.</param>
        /// <returns>The signature.</returns>
        /// <exception cref="InvalidOperationException">The type has no single public constructor, a constructor
        /// parameter has no property of the same name, or a parameter's type has no text form (the message names
        /// it).</exception>
        public static InitializerSignature Of(Type type) => Cache.GetOrAdd(type, Read);

        /// <summary>The text form's parameters of an instance, with their values.</summary>
        /// <param name="initializer">An instance of <see cref="Type"/>.</param>
        /// <returns>Text name and value, in order.</returns>
        public IEnumerable<KeyValuePair<string, object>> Values(WeightInitializer initializer) =>
            Parameters.Select(p => new KeyValuePair<string, object>(p.TextName, p.Property.GetValue(initializer)!));

        /// <summary>A parameter's name in snake case: <c>MaxIterations</c> → <c>max_iterations</c>, <c>A</c> → <c>a</c>.</summary>
        /// <param name="name">A C# parameter name.</param>
        /// <returns>The text form's name.</returns>
        public static string SnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 4);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c) && i > 0)
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }

        private static InitializerSignature Read(Type type)
        {
            var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
            if (constructors.Length != 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{type.Name} has {constructors.Length} public constructors; its text form is read from one primary constructor (or override Parameters)."));
            }
            var constructor = constructors[0];
            var parameters = new List<InitializerParameter>();
            foreach (var parameter in constructor.GetParameters())
            {
                var property = type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance);
                if (property is null || property.PropertyType != parameter.ParameterType)
                {
                    throw new InvalidOperationException(
                        $"{type.Name}: constructor parameter '{parameter.Name}' has no public property of the same name and type, from which its text form would read the value.");
                }
                if (!InitializerParameter.HasTextForm(parameter.ParameterType))
                {
                    throw new InvalidOperationException(
                        $"{type.Name}: constructor parameter '{parameter.Name}' is a {parameter.ParameterType.Name}, which text forms cannot write.");
                }
                string textName = parameter.GetCustomAttribute<TextNameAttribute>()?.Name ?? SnakeCase(parameter.Name!);
                object? defaultValue = parameter.HasDefaultValue ? InitializerParameter.Typed(parameter.ParameterType, parameter.DefaultValue) : null;
                parameters.Add(new InitializerParameter(textName, parameter.ParameterType, parameter.HasDefaultValue, defaultValue, property));
            }
            return new InitializerSignature(type, constructor, parameters);
        }
    }

    /// <summary>One parameter of a text form: its name, its type (double, long or an enumeration with text names), its
    /// default (none: required), and the property that holds its value.</summary>
    internal sealed record InitializerParameter(string TextName, Type Type, bool HasDefault, object? DefaultValue, PropertyInfo Property)
    {
        /// <summary>Whether a value of <paramref name="type"/> has a text form that <see cref="TryParse"/> reads.</summary>
        public static bool HasTextForm(Type type) => type == typeof(double) || type == typeof(long) || TextNames.Knows(type);

        /// <summary>A constructor default as a value of the parameter's type (an enumeration's default may come as its
        /// underlying integer).</summary>
        public static object? Typed(Type type, object? value) =>
            value is not null && type.IsEnum && value.GetType() != type ? Enum.ToObject(type, value) : value;

        /// <summary>Reads a value of this parameter from its text.</summary>
        /// <param name="text">The value's text.</param>
        /// <param name="value">The value, or null.</param>
        /// <param name="error">Why the text is not a value (names the parameter; no final period), or null.</param>
        /// <returns>Whether the text is a value.</returns>
        public bool TryParse(string text, out object? value, out string? error)
        {
            (value, error) = (null, null);
            if (Type == typeof(double))
            {
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                {
                    value = d;
                    return true;
                }
                error = $"{TextName}={text} is not a number";
                return false;
            }
            if (Type == typeof(long))
            {
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
                {
                    value = l;
                    return true;
                }
                error = $"{TextName}={text} is not an integer";
                return false;
            }
            bool ok = TextNames.TryParse(Type, text, out value, out error);
            return ok;
        }
    }
}
