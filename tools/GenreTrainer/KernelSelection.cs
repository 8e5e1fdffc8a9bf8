namespace MusicClassification.Tools.GenreTrainer;

/// <summary>
/// Picks the kernel machine's γ and λ by inner stratified cross-validation on the training rows only, then the softmax
/// temperature τ that turns its scores into probabilities (lowest out-of-fold log loss), so the outer folds that report
/// accuracy never influence a setting.
/// </summary>
internal static class KernelSelection
{
    private static readonly double[] GammaPerFeature = [0.5, 1, 2];
    private static readonly double[] Lambdas = [0.1, 0.3, 1, 3];
    private static readonly double[] Temperatures = [1, 2, 3, 4, 6, 8, 12, 16, 24];

    public static (double Gamma, double Lambda, double Temperature) Select(double[][] x, int[] y, int classes, int[][] innerFolds)
    {
        (double Gamma, double Lambda, double Accuracy, double[][] Scores) best = (0, 0, -1, []);
        foreach (double perFeature in GammaPerFeature)
        {
            double gamma = perFeature / x[0].Length;
            foreach (double lambda in Lambdas)
            {
                double[][] scores = OutOfFoldScores(x, y, classes, innerFolds, gamma, lambda);
                double accuracy = Enumerable.Range(0, x.Length).Count(i => ArgMax(scores[i]) == y[i]) / (double)x.Length;
                if (accuracy > best.Accuracy)
                {
                    best = (gamma, lambda, accuracy, scores);
                }
            }
        }

        double temperature = Temperatures.MinBy(t => Enumerable.Range(0, x.Length).Average(i => -Math.Log(Probabilities(best.Scores[i], t)[y[i]] + 1e-12)));
        return (best.Gamma, best.Lambda, temperature);
    }

    /// <summary>softmax(τ · scores).</summary>
    public static double[] Probabilities(double[] scores, double temperature)
    {
        double max = scores.Max();
        double[] e = scores.Select(s => Math.Exp(temperature * (s - max))).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double[][] OutOfFoldScores(double[][] x, int[] y, int classes, int[][] folds, double gamma, double lambda)
    {
        var scores = new double[x.Length][];
        foreach (int[] test in folds)
        {
            int[] train = Enumerable.Range(0, x.Length).Except(test).ToArray();
            var machine = KernelRidge.Fit(train.Select(i => x[i]).ToArray(), train.Select(i => y[i]).ToArray(), classes, gamma, lambda);
            foreach (int i in test)
            {
                scores[i] = machine.Scores(x[i]);
            }
        }

        return scores;
    }

    private static int ArgMax(double[] values) => Array.IndexOf(values, values.Max());
}
