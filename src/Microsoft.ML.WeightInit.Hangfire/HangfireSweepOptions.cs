using System;
using System.Text.RegularExpressions;
using Npgsql;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// Where a distributed sweep keeps its jobs and how its driver and workers use them: the PostgreSQL database of
    /// Hangfire's storage, the queue, and the timeouts of fault handling. Driver and workers of one sweep use the same
    /// connection (database and schema) and queue.
    /// </summary>
    public sealed record HangfireSweepOptions
    {
        /// <summary>Default queue: <c>weightinit</c>.</summary>
        public const string DefaultQueue = "weightinit";

        /// <summary>Creates options for a PostgreSQL connection string.</summary>
        /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=sweeps;Username=sweep;Password=…</c>
        /// (or <c>Passfile=…</c>; see docs/sweeps.md on credentials).</param>
        /// <exception cref="ArgumentException">Not a valid Npgsql connection string (the message names the key, never
        /// the password).</exception>
        public HangfireSweepOptions(string connectionString)
        {
            ConnectionString = connectionString ?? throw new ArgumentNullException(nameof(connectionString));
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    throw new ParameterException("The PostgreSQL connection string names no Host (expected e.g. \"Host=localhost;Port=5432;Database=sweeps;Username=sweep\").", nameof(connectionString));
                }
                Endpoint = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "(default database)"}";
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException && e is not ArgumentNullException)
            {
                if (e is ArgumentException { ParamName: nameof(connectionString) })
                {
                    throw;
                }
                throw new ParameterException($"Not a valid PostgreSQL connection string (expected key=value pairs such as \"Host=localhost;Port=5432;Database=sweeps;Username=sweep\"); Npgsql: {e.Message}", nameof(connectionString), e);
            }
        }

        /// <summary>The Npgsql connection string.</summary>
        public string ConnectionString { get; }

        /// <summary>host:port/database of <see cref="ConnectionString"/>, for messages (no credentials).</summary>
        public string Endpoint { get; }

        /// <summary>Hangfire queue the trials go to and the workers listen on: lowercase letters, digits, '_' and '-'.
        /// Default <see cref="DefaultQueue"/>.</summary>
        public string Queue { get; init; } = DefaultQueue;

        /// <summary>Database schema of Hangfire's tables (created on first use). Default <c>hangfire</c>.</summary>
        public string SchemaName { get; init; } = "hangfire";

        /// <summary>
        /// How long a fetched trial stays invisible to other workers without a heartbeat of the worker that runs it
        /// (sliding invisibility: a live worker keeps extending it, so a long trial never runs twice). After a worker
        /// dies, its trial is fetched again by another worker about this long later. Default 5 minutes.
        /// </summary>
        public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>How often workers look for new jobs and the driver for results. Default 1 s.</summary>
        public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

        /// <summary>How long the driver keeps retrying while the database cannot be reached (e.g. a PostgreSQL restart)
        /// before the sweep stops with an error. Default 10 minutes.</summary>
        public TimeSpan DatabaseOutageTimeout { get; init; } = TimeSpan.FromMinutes(10);

        /// <summary>Checks the values.</summary>
        /// <exception cref="ArgumentException">A value out of range; the message names the property.</exception>
        public void Validate()
        {
            if (string.IsNullOrEmpty(Queue) || !Regex.IsMatch(Queue, "^[a-z0-9_-]+$"))
            {
                throw new ParameterException($"Queue '{Queue}': expected lowercase letters, digits, '_' and '-' (a Hangfire queue name).", nameof(Queue));
            }
            if (string.IsNullOrEmpty(SchemaName) || !Regex.IsMatch(SchemaName, "^[A-Za-z_][A-Za-z0-9_]*$"))
            {
                throw new ParameterException($"SchemaName '{SchemaName}': expected a plain SQL identifier.", nameof(SchemaName));
            }
            foreach (var (name, value) in new[] { (nameof(InvisibilityTimeout), InvisibilityTimeout), (nameof(PollInterval), PollInterval), (nameof(DatabaseOutageTimeout), DatabaseOutageTimeout) })
            {
                if (value <= TimeSpan.Zero)
                {
                    throw new ParameterRangeException(name, value, $"{name} must be positive.");
                }
            }
        }
    }
}
