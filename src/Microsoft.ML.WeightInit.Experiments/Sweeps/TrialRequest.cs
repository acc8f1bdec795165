namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Everything a worker needs to run one trial, as plain serializable values: hand it (as JSON, see
    /// <see cref="SweepJson"/>) to any executor that can run <see cref="TrialWorker.Run(TrialRequest, System.Threading.CancellationToken)"/>
    /// or the Examples app's <c>trial</c> command.
    /// </summary>
    /// <param name="Spec">The trial.</param>
    /// <param name="Data">Where the data is, as seen by the worker.</param>
    /// <param name="Settings">The training settings shared by the sweep's trials.</param>
    public sealed record TrialRequest(TrialSpec Spec, SweepDataLocation Data, TrialRunnerSettings Settings);
}
