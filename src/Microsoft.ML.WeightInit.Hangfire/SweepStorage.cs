using System;
using System.Net.Sockets;
using global::Hangfire.PostgreSql;
using global::Hangfire.PostgreSql.Factories;
using Npgsql;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>Opens Hangfire's PostgreSQL storage for a sweep, checking first that the database answers.</summary>
    internal static class SweepStorage
    {
        /// <summary>Checks the database and creates the storage (Hangfire's schema is created on first use).</summary>
        /// <exception cref="SweepStorageException">The database cannot be reached or refuses the login.</exception>
        public static PostgreSqlStorage Open(HangfireSweepOptions options)
        {
            options.Validate();
            Check(options);
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = options.SchemaName,
                PrepareSchemaIfNecessary = true,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = options.InvisibilityTimeout,
                QueuePollInterval = options.PollInterval,
                // A lock whose release a database restart cut off is held until this timeout (Hangfire.PostgreSql's
                // default: 10 minutes), stalling state changes and retries for that long; trial jobs hold no long locks.
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            };
            try
            {
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(options.ConnectionString, storageOptions), storageOptions);
            }
            catch (Exception e) when (IsDatabaseError(e))
            {
                throw new SweepStorageException($"PostgreSQL at {options.Endpoint}: cannot prepare Hangfire's schema '{options.SchemaName}': {e.Message}", e);
            }
        }

        /// <summary>Opens and closes one connection; throws a <see cref="SweepStorageException"/> naming the endpoint and the cause.</summary>
        public static void Check(HangfireSweepOptions options)
        {
            try
            {
                using var connection = new NpgsqlConnection(options.ConnectionString);
                connection.Open();
            }
            catch (Exception e) when (IsDatabaseError(e))
            {
                throw new SweepStorageException($"Cannot connect to PostgreSQL at {options.Endpoint}: {Cause(e)}", e);
            }
        }

        /// <summary>Whether an exception comes from the database or the network (transient or configuration), not from our code.</summary>
        public static bool IsDatabaseError(Exception e) => e is NpgsqlException or SocketException or TimeoutException
            || (e is InvalidOperationException && e.InnerException is { } inner && IsDatabaseError(inner))
            || e.GetType().Namespace?.StartsWith("Hangfire.PostgreSql", StringComparison.Ordinal) == true;

        private static string Cause(Exception e)
        {
            for (var x = e; x is not null; x = x.InnerException)
            {
                if (x is PostgresException p)
                {
                    return $"{p.MessageText} (SQLSTATE {p.SqlState})";
                }
                if (x is SocketException s)
                {
                    return $"{s.Message} (the server is not running or not reachable)";
                }
            }
            return e.Message;
        }
    }

    /// <summary>The sweep's PostgreSQL database cannot be used: unreachable, login refused, or down for longer than
    /// <see cref="HangfireSweepOptions.DatabaseOutageTimeout"/>. The message names the endpoint (never the password).</summary>
    public sealed class SweepStorageException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What failed, naming the endpoint.</param>
        /// <param name="inner">The database error.</param>
        public SweepStorageException(string message, Exception? inner = null) : base(message, inner)
        {
        }
    }
}
