// Assembly-level attributes of Microsoft.ML.WeightInit.
[assembly: System.CLSCompliant(false)]
