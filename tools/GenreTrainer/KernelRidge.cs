namespace MusicClassification.Tools.GenreTrainer;

/// <summary>
/// RBF-kernel ridge classification (a least-squares SVM, one-vs-rest on ±1 targets): the kernel-machine baseline the
/// issue's RBF SVM figure stands for, computed exactly (Cholesky) so it needs no solver tolerances. Deterministic.
/// </summary>
internal sealed class KernelRidge
{
    private readonly double[][] _support;
    private readonly double[][] _alpha; // [class][support]
    private readonly double _gamma;

    private KernelRidge(double[][] support, double[][] alpha, double gamma)
    {
        _support = support;
        _alpha = alpha;
        _gamma = gamma;
    }

    /// <summary>Fits (K + λI)·α = Y for each class, Y = +1 for the class and −1 otherwise.</summary>
    public static KernelRidge Fit(double[][] x, int[] y, int classes, double gamma, double lambda)
    {
        int n = x.Length;
        var k = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                k[i, j] = k[j, i] = Kernel(x[i], x[j], gamma);
            }

            k[i, i] += lambda;
        }

        Cholesky(k, n);
        var alpha = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            var target = new double[n];
            for (int i = 0; i < n; i++)
            {
                target[i] = y[i] == c ? 1 : -1;
            }

            alpha[c] = Solve(k, n, target);
        }

        return new KernelRidge(x, alpha, gamma);
    }

    public double Gamma => _gamma;

    /// <summary>The training rows (standardised), the kernel's centres.</summary>
    public double[][] Support => _support;

    /// <summary>Dual coefficients, [class][support].</summary>
    public double[][] Alpha => _alpha;

    /// <summary>One score per class (higher is more likely); not probabilities.</summary>
    public double[] Scores(double[] input)
    {
        var kernel = _support.Select(s => Kernel(s, input, _gamma)).ToArray();
        return _alpha.Select(a => a.Zip(kernel, (w, v) => w * v).Sum()).ToArray();
    }

    private static double Kernel(double[] a, double[] b, double gamma)
    {
        double distance = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            distance += d * d;
        }

        return Math.Exp(-gamma * distance);
    }

    /// <summary>In place: the lower triangle of <paramref name="a"/> becomes L with A = L·Lᵀ.</summary>
    private static void Cholesky(double[,] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= a[j, k] * a[j, k];
            }

            a[j, j] = Math.Sqrt(diagonal);
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= a[i, k] * a[j, k];
                }

                a[i, j] = sum / a[j, j];
            }
        }
    }

    private static double[] Solve(double[,] l, int n, double[] b)
    {
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
            {
                sum -= l[i, k] * z[k];
            }

            z[i] = sum / l[i, i];
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = z[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }
}
