using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// Checks the values of numeric options before Spectre.Console.Cli converts them, whose error ("Failed to convert
    /// '2147483648' to Int32.") names neither the option nor the range: the option's name and type come from the
    /// settings class's <see cref="CommandOptionAttribute"/>s, so the error names the option as written and what it
    /// takes (e.g. <c>--epochs '2147483648': expected an integer from -2147483648 to 2147483647</c>).
    /// </summary>
    internal static class NumericOptions
    {
        /// <summary>The first numeric option whose value does not convert, as an error; else null.</summary>
        /// <param name="arguments">The command line.</param>
        /// <param name="settingsOf">Settings class of each command name.</param>
        /// <param name="defaultSettings">Settings class when the first argument names no command.</param>
        public static string? Check(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, Type> settingsOf, Type defaultSettings)
        {
            Type settings = arguments.Count > 0 && settingsOf.TryGetValue(arguments[0], out var type) ? type : defaultSettings;
            var options = new Dictionary<string, Type>(StringComparer.Ordinal);
            foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option)
                {
                    continue;
                }
                var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                foreach (string name in option.LongNames.Select(n => "--" + n).Concat(option.ShortNames.Select(n => "-" + n)))
                {
                    options[name] = valueType;
                }
            }
            for (int i = 0; i < arguments.Count; i++)
            {
                string token = arguments[i];
                string name = token, value;
                int equals = token.IndexOf('=', StringComparison.Ordinal);
                if (token.StartsWith('-') && equals > 0)
                {
                    (name, value) = (token[..equals], token[(equals + 1)..]);
                }
                else if (i + 1 < arguments.Count)
                {
                    value = arguments[i + 1];
                }
                else
                {
                    continue;
                }
                if (options.TryGetValue(name, out var valueType) && Expected(valueType, value) is { } expected)
                {
                    return $"{name} '{value}': expected {expected}.";
                }
            }
            return null;
        }

        private static string? Expected(Type type, string value)
        {
            var c = CultureInfo.InvariantCulture;
            if (type == typeof(int))
            {
                return int.TryParse(value, NumberStyles.Integer, c, out _) ? null : $"an integer from {int.MinValue} to {int.MaxValue}";
            }
            if (type == typeof(long))
            {
                return long.TryParse(value, NumberStyles.Integer, c, out _) ? null : $"an integer from {long.MinValue} to {long.MaxValue}";
            }
            if (type == typeof(double) || type == typeof(float))
            {
                bool single = type == typeof(float);
                return double.TryParse(value, NumberStyles.Float, c, out double d) && (!single || float.IsFinite((float)d) || !double.IsFinite(d))
                    ? null : $"a number{(single ? $" within ±{float.MaxValue.ToString("G3", c)}" : string.Empty)}";
            }
            return null;
        }
    }
}
