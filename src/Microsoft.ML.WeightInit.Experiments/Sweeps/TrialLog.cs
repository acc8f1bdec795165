using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The trial log: an append-only file of JSON lines (<see cref="SweepJson"/>). The first line names the data
    /// (<see cref="ITrialRunner.DataDescription"/>) and the format <see cref="Version"/>; each further line is one
    /// finished trial, written in one piece ending with a newline and flushed to disk before the next trial starts. A
    /// last line without its newline that is not well-formed JSON was cut short by a crash: it is dropped on opening
    /// (and cut off the file). Any other line that is not a valid header or trial record (status known, metrics of a
    /// completed trial present and in range) is an error, the last line included. While a sweep has the log open it holds an exclusive
    /// lock on the open log itself (<see cref="IO.FileLock"/> on its descriptor, released by the system if the process dies), so two sweeps
    /// cannot write the same file, whatever names (hard or symbolic links) they reach it by; the lock is advisory, so the log
    /// stays readable (<c>tail -f</c>, <c>jq</c>). A device or FIFO (e.g. <c>/dev/null</c>) cannot be a log.
    /// </summary>
    internal sealed class TrialLog : IDisposable
    {
        /// <summary>Format version written in the header.</summary>
        public const int Version = 1;

        private readonly FileStream _stream;
        private readonly object _gate = new();

        private TrialLog(string path, FileStream stream, List<TrialResult> results, string? repair)
        {
            Path = path;
            _stream = stream;
            Results = results;
            Repair = repair;
        }

        /// <summary>Full path of the file.</summary>
        public string Path { get; }

        /// <summary>Trials read from the file when it was opened, in file order.</summary>
        public IReadOnlyList<TrialResult> Results { get; }

        /// <summary>What was repaired on opening (a torn last line dropped), or null.</summary>
        public string? Repair { get; }

        /// <summary>Opens (or creates) a log and reads the trials it holds.</summary>
        /// <param name="path">The file.</param>
        /// <param name="dataDescription">The runner's data description; an existing log must have been written for the same.</param>
        /// <returns>The open log.</returns>
        /// <exception cref="IOException">The file is in use by another sweep, or cannot be read or written.</exception>
        /// <exception cref="InvalidDataException">A line is not a valid trial record (bad JSON, unknown status, a completed
        /// trial without metrics, a metric out of range; an unterminated last line that is not well-formed JSON is dropped
        /// instead), the first line is not the header, or the header's format version is not <see cref="Version"/>.
        /// The message names the file, the line and what is wrong.</exception>
        /// <exception cref="InvalidOperationException">The log was written for other data.</exception>
        public static TrialLog Open(string path, string dataDescription)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            string full = System.IO.Path.GetFullPath(path);
            full = IO.FilePaths.FollowLinks(full);
            if (File.Exists(full) && IO.UnixFileType.IsSpecial(full))
            {
                throw new IOException($"The trial log '{full}' is a device or FIFO; a trial log must be a regular file (it is read back, locked and appended to).");
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            FileStream? stream = null;
            try
            {
                try
                {
                    stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                }
                catch (IOException e) when (e.HResult is SharingViolation or 11 or 35)
                {
                    // .NET's own lock on Unix (FileShare) or Windows' sharing mode: another sweep has the file open.
                    throw InUse(full, e);
                }
                // The lock is on the open file itself (its inode): every hard or symbolic link to it reaches the same lock.
                bool locked;
                try
                {
                    locked = IO.FileLock.TryLockExclusive(stream.SafeFileHandle);
                }
                catch (IOException e)
                {
                    throw new IOException($"The trial log '{full}' cannot be locked (does its file system support record locks?): {e.Message}", e);
                }
                if (!locked)
                {
                    throw InUse(full, null);
                }
                var (results, repair) = Read(stream, full, dataDescription);
                return new TrialLog(full, stream, results, repair);
            }
            catch
            {
                stream?.Dispose();
                throw;
            }
        }

        /// <summary>HRESULT of ERROR_SHARING_VIOLATION (Windows); on Unix .NET gives the errno EWOULDBLOCK (11, or 35 on macOS).</summary>
        private const int SharingViolation = unchecked((int)0x80070020);

        private static IOException InUse(string full, Exception? inner) =>
            new($"The trial log '{full}' is in use by another sweep (it is locked; a hard or symbolic link to it is the same file).", inner);

        /// <summary>Appends one trial as a line and flushes it to disk.</summary>
        /// <param name="result">The trial.</param>
        public void Append(TrialResult result)
        {
            ArgumentNullException.ThrowIfNull(result);
            WriteLine(new TrialLogLine(TrialLogLine.TrialKind, null, null, result));
        }

        public void Dispose()
        {
            _stream.Dispose(); // closing the descriptor releases the lock
        }

        private void WriteLine(TrialLogLine line)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(SweepJson.Serialize(line) + "\n");
            lock (_gate)
            {
                _stream.Seek(0, SeekOrigin.End);
                _stream.Write(bytes);
                _stream.Flush(flushToDisk: true);
            }
        }

        private static (List<TrialResult> Results, string? Repair) Read(FileStream stream, string path, string dataDescription)
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var results = new List<TrialResult>();
            string? repair = null;
            int start = 0, lineNumber = 0;
            bool header = false;
            while (start < bytes.Length)
            {
                int end = Array.IndexOf(bytes, (byte)'\n', start);
                // Every line is written in one piece ending with '\n': only an unterminated last line can have been cut
                // short by a crash. A terminated line was written whole, so whatever is wrong with it is an error.
                bool terminated = end >= 0;
                lineNumber++;
                string text = Encoding.UTF8.GetString(bytes, start, (terminated ? end : bytes.Length) - start);
                TrialLogLine? line = Parse(text, header, out string? problem, out bool wellFormed);
                if (line is null)
                {
                    if (terminated || wellFormed)
                    {
                        throw new InvalidDataException($"Trial log '{path}', line {lineNumber}: {problem}. Fix or delete the file.");
                    }
                    // A line cut short by a crash (or a header that never made it): drop it.
                    stream.SetLength(start);
                    stream.Flush(flushToDisk: true);
                    repair = $"dropped a torn last line ({bytes.Length - start} bytes, no terminating newline) of the trial log '{path}'";
                    break;
                }
                if (line.Kind == TrialLogLine.SweepKind)
                {
                    if (line.Version != Version)
                    {
                        throw new InvalidDataException(
                            $"Trial log '{path}', line {lineNumber}: the header declares format version {line.Version?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; this library reads version {Version}. Use another log file, or delete this one to start over.");
                    }
                    if (line.Data != dataDescription)
                    {
                        throw new InvalidOperationException(
                            $"The trial log '{path}' was written for other data or settings:\n  log:   {line.Data}\n  sweep: {dataDescription}\nUse another log file, or delete this one to start over.");
                    }
                    header = true;
                }
                else
                {
                    results.Add(line.Trial!);
                }
                if (!terminated)
                {
                    stream.Seek(0, SeekOrigin.End);
                    stream.WriteByte((byte)'\n');
                    stream.Flush(flushToDisk: true);
                }
                start = terminated ? end + 1 : bytes.Length;
            }
            if (!header)
            {
                stream.SetLength(0);
                var first = Encoding.UTF8.GetBytes(SweepJson.Serialize(new TrialLogLine(TrialLogLine.SweepKind, Version, dataDescription, null)) + "\n");
                stream.Seek(0, SeekOrigin.Begin);
                stream.Write(first);
                stream.Flush(flushToDisk: true);
            }
            return (results, repair);
        }

        /// <summary>Reads one line: the header (when <paramref name="afterHeader"/> is false) or a trial record.</summary>
        /// <param name="text">The line, without its newline.</param>
        /// <param name="afterHeader">Whether the header has been read.</param>
        /// <param name="problem">What is wrong with the line (no final period), or null.</param>
        /// <param name="wellFormed">Whether the line is well-formed JSON (a line cut short never is).</param>
        /// <returns>The line, or null when it is not a valid header or trial record.</returns>
        private static TrialLogLine? Parse(string text, bool afterHeader, out string? problem, out bool wellFormed)
        {
            string expected = afterHeader ? "a trial record" : "the sweep header";
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                wellFormed = false;
                problem = $"not valid JSON ({Describe(e)}); expected {expected}";
                return null;
            }
            wellFormed = true;
            using (document)
            {
                TrialLogLine? line;
                try
                {
                    line = document.Deserialize<TrialLogLine>(SweepJson.Options);
                }
                catch (JsonException e)
                {
                    problem = e.Path == "$.trial.status" && document.RootElement.TryGetProperty("trial", out var trial) && trial.TryGetProperty("status", out var status)
                        ? $"trial.status is {status.GetRawText()}; expected one of {string.Join(", ", Enum.GetNames<TrialStatus>())}"
                        : $"not {expected} ({Describe(e)})";
                    return null;
                }
                problem = line is null ? $"null; expected {expected}" : Check(line, afterHeader);
                return problem is null ? line : null;
            }
        }

        /// <summary>What is wrong with a line that parsed, or null.</summary>
        private static string? Check(TrialLogLine line, bool afterHeader)
        {
            if (line.Kind is not (TrialLogLine.SweepKind or TrialLogLine.TrialKind))
            {
                return $"kind is {(line.Kind is null ? "missing" : $"\"{line.Kind}\"")}; expected \"{TrialLogLine.SweepKind}\" or \"{TrialLogLine.TrialKind}\"";
            }
            if (!afterHeader)
            {
                return line.Kind == TrialLogLine.SweepKind ? null : $"a trial record before the sweep header (the first line must have kind \"{TrialLogLine.SweepKind}\")";
            }
            if (line.Kind == TrialLogLine.SweepKind)
            {
                return "a second header";
            }
            return line.Trial is null ? "kind \"trial\" without a trial record (\"trial\" is missing or null)" : Check(line.Trial);
        }

        /// <summary>What is wrong with a trial record, or null: the fields that later code relies on, and metrics in their
        /// ranges.</summary>
        private static string? Check(TrialResult trial)
        {
            var spec = trial.Spec;
            if (spec is null)
            {
                return "trial.spec is missing or null";
            }
            if (spec.Candidate is null)
            {
                return "trial.spec.candidate is missing or null";
            }
            if (spec.Candidate.Weight is null || spec.Candidate.Bias is null)
            {
                return $"trial.spec.candidate.{(spec.Candidate.Weight is null ? "weight" : "bias")} is missing or null";
            }
            if (spec.Evaluation is null)
            {
                return "trial.spec.evaluation is missing or null";
            }
            if ((Invalid(spec.Candidate.Validate, "trial.spec.candidate") ?? Invalid(spec.Evaluation.Validate, "trial.spec.evaluation")
                ?? Invalid(spec.Validate, "trial.spec")) is string specProblem)
            {
                return specProblem;
            }
            if (!Enum.IsDefined(trial.Status))
            {
                return $"trial.status is {(int)trial.Status}; expected one of {string.Join(", ", Enum.GetNames<TrialStatus>())}";
            }
            if (trial.History is null || trial.History.Any(e => e is null))
            {
                return "trial.history is null or holds a null epoch";
            }
            var m = trial.Metrics;
            if (m is null)
            {
                return trial.Status == TrialStatus.Completed ? "trial.metrics is missing or null; a Completed trial has metrics" : null;
            }
            if (!(m.MicroAccuracy >= 0 && m.MicroAccuracy <= 1))
            {
                return Out("microAccuracy", m.MicroAccuracy, "a number in [0, 1]");
            }
            if (!(m.MacroAccuracy >= 0 && m.MacroAccuracy <= 1))
            {
                return Out("macroAccuracy", m.MacroAccuracy, "a number in [0, 1]");
            }
            if (!(m.LogLoss >= 0 && double.IsFinite(m.LogLoss)))
            {
                return Out("logLoss", m.LogLoss, "a finite number ≥ 0");
            }
            // LogLossReduction is not checked: ML.NET gives ±∞ or NaN when the validation rows hold a single class
            // (the prior's log-loss is 0), and no ranking uses it.
            return null;

            static string Out(string name, double value, string expected) =>
                $"trial.metrics.{name} is {value.ToString("R", CultureInfo.InvariantCulture)}; expected {expected}";
        }

        /// <summary>The field a validation rejects, with the reason, or null.</summary>
        private static string? Invalid(Action validate, string path) =>
            SweepJson.RejectedField(validate, path) is { } r ? $"{r.Field}: {r.Reason}" : null;

        /// <summary>Where a JSON error is, from its typed position (the field's path, else the byte in the line); the
        /// exception's message is not read (its line numbers count within the one JSON line).</summary>
        private static string Describe(JsonException e) =>
            e.Path is { Length: > 1 } p ? $"at {p.TrimStart('$', '.')}"
            : e.BytePositionInLine is long b ? $"at byte {b + 1}"
            : "at an unknown position";
    }

    /// <summary>One line of the trial log: the header (<c>kind</c> "sweep", the format version and the data) or a
    /// trial (<c>kind</c> "trial" and the result).</summary>
    /// <param name="Kind">"sweep" or "trial".</param>
    /// <param name="Version">Format version (header only).</param>
    /// <param name="Data">The runner's data description (header only).</param>
    /// <param name="Trial">The trial's result (trial lines only).</param>
    internal sealed record TrialLogLine(string Kind, int? Version, string? Data, TrialResult? Trial)
    {
        public const string SweepKind = "sweep";

        public const string TrialKind = "trial";
    }
}
