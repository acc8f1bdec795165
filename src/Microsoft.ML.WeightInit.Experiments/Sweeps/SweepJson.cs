using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The JSON format of sweep records (trial specs, requests, results, leaderboards, the trial log's lines), with
    /// System.Text.Json: camelCase names, enums as names, NaN and ∞ as the strings "NaN", "Infinity", "-Infinity".
    /// </summary>
    public static class SweepJson
    {
        /// <summary>The serializer options (one line per value; no indentation).</summary>
        public static JsonSerializerOptions Options { get; } = Create(indented: false);

        /// <summary>The same, indented (for files meant to be read).</summary>
        public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

        /// <summary>Serializes a value on one line.</summary>
        /// <typeparam name="T">Its type.</typeparam>
        /// <param name="value">The value.</param>
        /// <returns>The JSON.</returns>
        public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

        /// <summary>Reads a value.</summary>
        /// <typeparam name="T">Its type.</typeparam>
        /// <param name="json">The JSON.</param>
        /// <returns>The value.</returns>
        /// <exception cref="JsonException">Invalid JSON, or JSON of something else.</exception>
        public static T Deserialize<T>(string json)
        {
            ArgumentNullException.ThrowIfNull(json);
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}; got null.");
        }

        private static JsonSerializerOptions Create(bool indented)
        {
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                WriteIndented = indented,
                NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
                RespectRequiredConstructorParameters = false,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            };
            options.Converters.Add(new JsonStringEnumConverter());
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        }

        /// <summary>Runs a record's validation; when it rejects a field, returns that field as a JSON path under
        /// <paramref name="path"/> (camelCase, as serialized) and the reason without its final period, else null.</summary>
        internal static (string Field, string Reason)? RejectedField(Action validate, string path)
        {
            try
            {
                validate();
                return null;
            }
            catch (ArgumentException e)
            {
                string field = e.ParamName is null ? path : $"{path}.{JsonNamingPolicy.CamelCase.ConvertName(e.ParamName)}";
                return (field, ParameterErrors.ReasonOf(e).TrimEnd('.'));
            }
        }
    }
}
