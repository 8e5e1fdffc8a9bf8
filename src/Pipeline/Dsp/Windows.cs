namespace MusicClassification.Dsp;

/// <summary>Window functions: the one home for them in the library.</summary>
internal static class Windows
{
    /// <summary>
    /// The periodic Hann window of length <paramref name="length"/> (scipy's <c>get_window('hann', n, fftbins=True)</c>,
    /// librosa's default): w[i] = 0.5 − 0.5·cos(2πi/n).
    /// </summary>
    public static float[] Hann(int length)
    {
        var window = new float[length];
        for (int i = 0; i < length; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / length)));
        }

        return window;
    }

    /// <summary>The symmetric Hann window (Essentia's): w[i] = 0.5 − 0.5·cos(2πi/(n − 1)).</summary>
    public static float[] SymmetricHann(int length)
    {
        var window = new float[length];
        for (int i = 0; i < length; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (length - 1))));
        }

        return window;
    }

    /// <summary>
    /// Essentia's default analysis window (<c>Windowing(type='hann')</c>): symmetric Hann scaled to sum to 2, so that a
    /// full-scale sine between bins reads about 1 at its spectral peak.
    /// </summary>
    public static float[] NormalisedHann(int length)
    {
        float[] window = SymmetricHann(length);
        float scale = 2f / System.Numerics.Tensors.TensorPrimitives.Sum(window);
        System.Numerics.Tensors.TensorPrimitives.Multiply(window, scale, window);
        return window;
    }

    /// <summary>The Kaiser window at <paramref name="x"/> in [−1, 1] (0 outside): I0(β·√(1−x²)) / I0(β).</summary>
    public static double Kaiser(double x, double beta)
    {
        if (x is < -1 or > 1)
        {
            return 0;
        }

        return BesselI0(beta * Math.Sqrt(1 - (x * x))) / BesselI0(beta);
    }

    /// <summary>The zeroth-order modified Bessel function of the first kind, by its power series (converges for all x used here).</summary>
    public static double BesselI0(double x)
    {
        double sum = 1;
        double term = 1;
        double halfX = x / 2;
        for (int k = 1; k < 500; k++)
        {
            term *= halfX / k;
            double squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    /// <summary>The normalised sinc, sin(πx)/(πx).</summary>
    public static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
}
