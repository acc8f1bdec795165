using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The trial log: an append-only file of JSON lines (<see cref="SweepJson"/>). The first line names the data
    /// (<see cref="ITrialRunner.DataDescription"/>); each further line is one finished trial, written in one piece and
    /// flushed to disk before the next trial starts. A last line cut short by a crash is dropped on opening (and cut
    /// off the file); any other unreadable line is an error. While a sweep has the log open it holds an exclusive lock
    /// on <c>&lt;log&gt;.lock</c> (released by the system if the process dies), so two sweeps cannot write the same log;
    /// the log itself stays readable (<c>tail -f</c>, <c>jq</c>).
    /// </summary>
    internal sealed class TrialLog : IDisposable
    {
        /// <summary>Format version written in the header.</summary>
        public const int Version = 1;

        private readonly FileStream _stream;
        private readonly FileStream _lock;
        private readonly object _gate = new();

        private TrialLog(string path, FileStream stream, FileStream lockFile, List<TrialResult> results, string? repair)
        {
            Path = path;
            _stream = stream;
            _lock = lockFile;
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
        /// <exception cref="InvalidDataException">A line other than the last is not a trial record, or the header is missing.</exception>
        /// <exception cref="InvalidOperationException">The log was written for other data.</exception>
        public static TrialLog Open(string path, string dataDescription)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            string full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            FileStream lockFile;
            try
            {
                lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException e)
            {
                throw new IOException($"The trial log '{full}' is in use by another sweep ({e.Message}).", e);
            }
            FileStream? stream = null;
            try
            {
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                var (results, repair) = Read(stream, full, dataDescription);
                return new TrialLog(full, stream, lockFile, results, repair);
            }
            catch
            {
                stream?.Dispose();
                lockFile.Dispose();
                throw;
            }
        }

        /// <summary>Appends one trial as a line and flushes it to disk.</summary>
        /// <param name="result">The trial.</param>
        public void Append(TrialResult result)
        {
            ArgumentNullException.ThrowIfNull(result);
            WriteLine(new TrialLogLine(TrialLogLine.TrialKind, null, null, result));
        }

        public void Dispose()
        {
            _stream.Dispose();
            _lock.Dispose();
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
                bool lastLine = end < 0 || end == bytes.Length - 1;
                bool complete = end >= 0;
                lineNumber++;
                string text = Encoding.UTF8.GetString(bytes, start, (complete ? end : bytes.Length) - start);
                TrialLogLine? line = Parse(text);
                if (line is null || (!header && line.Kind != TrialLogLine.SweepKind) || (line.Kind == TrialLogLine.TrialKind && line.Trial is null))
                {
                    if (!lastLine)
                    {
                        throw new InvalidDataException($"Trial log '{path}', line {lineNumber}: not a {(header ? "trial record" : "sweep header")}. Fix or delete the file.");
                    }
                    // A line cut short by a crash (or a header that never made it): drop it.
                    stream.SetLength(start);
                    stream.Flush(flushToDisk: true);
                    repair = $"dropped a torn last line ({bytes.Length - start} bytes) of the trial log '{path}'";
                    break;
                }
                if (!complete)
                {
                    stream.Seek(0, SeekOrigin.End);
                    stream.WriteByte((byte)'\n');
                    stream.Flush(flushToDisk: true);
                }
                if (line.Kind == TrialLogLine.SweepKind)
                {
                    if (header)
                    {
                        throw new InvalidDataException($"Trial log '{path}', line {lineNumber}: a second header.");
                    }
                    if (line.Data != dataDescription)
                    {
                        throw new InvalidOperationException(
                            $"The trial log '{path}' was written for other data or settings:\n  log:   {line.Data}\n  sweep: {dataDescription}\nUse another log file, or delete this one to start over.");
                    }
                    header = true;
                }
                else if (line.Trial is not null)
                {
                    results.Add(line.Trial);
                }
                start = complete ? end + 1 : bytes.Length;
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

        private static TrialLogLine? Parse(string text)
        {
            try
            {
                return JsonSerializer.Deserialize<TrialLogLine>(text, SweepJson.Options);
            }
            catch (JsonException)
            {
                return null;
            }
        }
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
