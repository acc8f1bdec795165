using System;
using System.Diagnostics;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Npgsql;

namespace Microsoft.ML.WeightInit.Tests.Sweeps.Distributed
{
    /// <summary>
    /// The real PostgreSQL server of the distributed-sweep tests: WEIGHTINIT_TEST_POSTGRES (set by eng/test.sh through
    /// eng/postgres.sh), or, when the tests run without it, a private server this process starts with eng/postgres.sh and
    /// stops at exit. Each test gets its own database. Where PostgreSQL cannot be installed the tests are inconclusive.
    /// </summary>
    internal static class TestPostgres
    {
        private static readonly Lazy<(string? ConnectionString, string? DataDirectory, string? Error)> Server = new(Start);

        /// <summary>A new empty database; its connection string.</summary>
        public static string CreateDatabase()
        {
            string server = ConnectionString();
            string name = $"weightinit_test_{Guid.NewGuid():N}";
            using (var connection = new NpgsqlConnection(server))
            {
                connection.Open();
                using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                command.ExecuteNonQuery();
            }
            return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        }

        /// <summary>Drops a database made by <see cref="CreateDatabase"/> (closing its connections).</summary>
        public static void DropDatabase(string connectionString)
        {
            string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString());
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // Left behind in the private cluster, which eng/postgres.sh deletes.
            }
        }

        /// <summary>Restarts the server (pg_ctl restart through eng/postgres.sh); inconclusive when it is not ours.</summary>
        public static void Restart()
        {
            var (_, data, _) = Server.Value;
            if (data is null)
            {
                Assert.Inconclusive("The PostgreSQL server is not a private one of eng/postgres.sh (WEIGHTINIT_TEST_POSTGRES_DATA unset): not restarting it.");
            }
            var (code, output, errors) = Script("restart", data);
            Assert.AreEqual(0, code, $"eng/postgres.sh restart failed: {output}{errors}");
        }

        private static string ConnectionString()
        {
            var (connectionString, _, error) = Server.Value;
            if (connectionString is null)
            {
                Assert.Inconclusive($"No PostgreSQL server for the distributed-sweep tests: {error}");
            }
            return connectionString;
        }

        private static (string?, string?, string?) Start()
        {
            if (Environment.GetEnvironmentVariable("WEIGHTINIT_TEST_POSTGRES") is { Length: > 0 } given)
            {
                return (given, Environment.GetEnvironmentVariable("WEIGHTINIT_TEST_POSTGRES_DATA"), null);
            }
            var (code, output, errors) = Script("start", null);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (code != 0 || lines.Length < 2 || !lines[^2].StartsWith("Host=", StringComparison.Ordinal))
            {
                return (null, null, $"eng/postgres.sh start failed (exit {code}): {errors.Trim()}");
            }
            string data = lines[^1];
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Script("stop", data);
            return (lines[^2], data, null);
        }

        private static (int Code, string Output, string Errors) Script(string verb, string? data)
        {
            string script = Path.Combine(RepositoryRoot(), "eng", "postgres.sh");
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(verb == "start"
                ? $"source '{script}' start 1>&2 && echo \"$WEIGHTINIT_TEST_POSTGRES\" && echo \"$WEIGHTINIT_TEST_POSTGRES_DATA\""
                : $"bash '{script}' {verb}");
            if (data is not null)
            {
                start.Environment["WEIGHTINIT_TEST_POSTGRES_DATA"] = data;
            }
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }

        internal static string RepositoryRoot()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Extensions.sln")))
            {
                root = root.Parent;
            }
            Assert.IsNotNull(root, "repository root not found");
            return root.FullName;
        }
    }
}
