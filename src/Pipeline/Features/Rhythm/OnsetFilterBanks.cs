using System.Numerics;

namespace MusicClassification.Features.Rhythm;

/// <summary>
/// The two filter banks of Essentia's onset detection functions, as weights over our FFT bins. Both are defined at
/// Essentia's 44.1 kHz with 2048-point frames; a bin here weighs what Essentia's bin at the same frequency weighs, so at
/// 22.05 kHz with 1024-point frames the weights are the same numbers (bins above our Nyquist frequency simply do not exist).
/// </summary>
internal static class OnsetFilterBanks
{
    private const double ReferenceRate = 44_100;
    private const int Bands = 40;
    private const double EarQ = 9.26449;
    private const double MinBandwidth = 24.7;
    private const double ErbLowHz = 80;

    /// <summary>
    /// Essentia's <c>MelBands</c> as its <c>melflux</c> detection function uses them: 40 triangles on the HTK mel scale from
    /// 0 to 4 kHz, weighted in mel, each normalised to sum to 1. Returns [band][bin] and each band's first and last bin.
    /// </summary>
    public static (float[][] Weights, int[] First, int[] Last) Mel(int bins, double hzPerBin)
    {
        double lowMel = HtkMel(0);
        double highMel = HtkMel(4000);
        float increment = (float)((highMel - lowMel) / (Bands + 1));
        var edges = new double[Bands + 2];
        float mel = (float)lowMel;
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = (float)InverseHtkMel(mel);
            mel += increment;
        }

        var weights = new float[Bands][];
        var first = new int[Bands];
        var last = new int[Bands];
        for (int b = 0; b < Bands; b++)
        {
            weights[b] = new float[bins];
            double rise = HtkMel(edges[b + 1]) - HtkMel(edges[b]);
            double fall = HtkMel(edges[b + 2]) - HtkMel(edges[b + 1]);
            first[b] = (int)Math.Ceiling(edges[b] / hzPerBin);
            last[b] = Math.Min(bins - 1, (int)Math.Floor(edges[b + 2] / hzPerBin));
            double sum = 0;
            for (int j = first[b]; j <= last[b]; j++)
            {
                double hz = j * hzPerBin;
                double w = hz < edges[b + 1] ? (HtkMel(hz) - HtkMel(edges[b])) / rise : (HtkMel(edges[b + 2]) - HtkMel(hz)) / fall;
                weights[b][j] = (float)w;
                sum += w;
            }

            for (int j = first[b]; j <= last[b] && sum != 0; j++)
            {
                weights[b][j] = (float)(weights[b][j] / sum);
            }
        }

        return (weights, first, last);
    }

    /// <summary>
    /// Essentia's <c>ERBBands</c> as its <c>beat_emphasis</c> function uses them: 40 fourth-order gammatone filters
    /// (Slaney's design) spaced on the ERB scale from 80 Hz to 22.05 kHz, their magnitude responses sampled at each bin.
    /// </summary>
    public static float[][] Erb(int bins, double hzPerBin)
    {
        const double High = ReferenceRate / 2;
        double bw = EarQ * MinBandwidth;
        var centres = new double[Bands];
        for (int i = 1; i <= Bands; i++)
        {
            centres[Bands - i] = -bw + (Math.Exp(i * (-Math.Log(High + bw) + Math.Log(ErbLowHz + bw)) / Bands) * (High + bw));
        }

        double t = 1 / ReferenceRate;
        double sqrP = Math.Sqrt(3 + Math.Pow(2, 1.5));
        double sqrM = Math.Sqrt(3 - Math.Pow(2, 1.5));
        var weights = new float[Bands][];
        for (int b = 0; b < Bands; b++)
        {
            double cf = centres[b];
            double erb = (cf / EarQ) + MinBandwidth;
            double bandwidth = 1.019 * 2 * Math.PI * erb;
            Complex pole = Math.Exp(-bandwidth * t) * Complex.Exp(new Complex(0, 2 * Math.PI * cf * t));
            double sinCf = Math.Sin(2 * cf * Math.PI * t);
            double cosCf = Math.Cos(2 * cf * Math.PI * t);
            double gtCos = 2 * t * cosCf / Math.Exp(bandwidth * t);
            double gtSin = t * sinCf / Math.Exp(bandwidth * t);
            double[] zeros =
            [
                (gtCos + (2 * sqrP * gtSin)) / 2 / t,
                (gtCos - (2 * sqrP * gtSin)) / 2 / t,
                (gtCos + (2 * sqrM * gtSin)) / 2 / t,
                (gtCos - (2 * sqrM * gtSin)) / 2 / t,
            ];
            Complex g1 = -2 * Complex.Exp(new Complex(0, 4 * cf * Math.PI * t)) * t;
            Complex g2 = 2 * Complex.Exp(new Complex(-(bandwidth * t), 2 * cf * Math.PI * t)) * t;
            Complex cxExp = Complex.Exp(new Complex(0, 4 * cf * Math.PI * t));
            double gain = Complex.Abs(
                (g1 + (g2 * (cosCf - (sqrM * sinCf)))) *
                (g1 + (g2 * (cosCf + (sqrM * sinCf)))) *
                (g1 + (g2 * (cosCf - (sqrP * sinCf)))) *
                (g1 + (g2 * (cosCf + (sqrP * sinCf)))) /
                Complex.Pow((-2 / Math.Exp(2 * bandwidth * t)) - (2 * cxExp) + (2 * (1 + cxExp) / Math.Exp(bandwidth * t)), 4));

            weights[b] = new float[bins];
            for (int j = 0; j < bins; j++)
            {
                double hz = j * hzPerBin;
                if (hz > High)
                {
                    break;
                }

                Complex z = Complex.Exp(new Complex(0, 2 * Math.PI * hz / ReferenceRate));
                double response = Math.Pow(t, 4) / gain *
                    Complex.Abs(z - zeros[0]) * Complex.Abs(z - zeros[1]) * Complex.Abs(z - zeros[2]) * Complex.Abs(z - zeros[3]) *
                    Math.Pow(Complex.Abs((pole - z) * (pole - z)), -4);
                weights[b][j] = (float)response;
            }
        }

        return weights;
    }

    private static double HtkMel(double hz) => 2595 * Math.Log10(1 + (hz / 700));

    private static double InverseHtkMel(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
}
