namespace MusicClassification.Dsp.Loudness;

/// <summary>
/// The ITU-R BS.1770-4 K-weighting filter (a high shelf for the head's acoustic effect, then the RLB high-pass) as two
/// biquads for any sample rate, designed from the analogue parameters behind the standard's 48 kHz coefficients, the
/// way libebur128 does, so that at 48 kHz they reproduce the published values. Immutable.
/// </summary>
internal sealed record KWeighting(double[] ShelfB, double[] ShelfA, double[] HighPassB, double[] HighPassA)
{
    public static KWeighting For(int sampleRate)
    {
        double k = Math.Tan(Math.PI * 1681.974450955533 / sampleRate);
        double vh = Math.Pow(10.0, 3.999843853973347 / 20.0);
        double vb = Math.Pow(vh, 0.4996667741545416);
        double q = 0.7071752369554196;
        double a0 = 1.0 + (k / q) + (k * k);
        double[] shelfB = [(vh + (vb * k / q) + (k * k)) / a0, 2.0 * ((k * k) - vh) / a0, (vh - (vb * k / q) + (k * k)) / a0];
        double[] shelfA = [1.0, 2.0 * ((k * k) - 1.0) / a0, (1.0 - (k / q) + (k * k)) / a0];

        k = Math.Tan(Math.PI * 38.13547087602444 / sampleRate);
        q = 0.5003270373238773;
        a0 = 1.0 + (k / q) + (k * k);
        double[] highPassB = [1.0, -2.0, 1.0];
        double[] highPassA = [1.0, 2.0 * ((k * k) - 1.0) / a0, (1.0 - (k / q) + (k * k)) / a0];
        return new KWeighting(shelfB, shelfA, highPassB, highPassA);
    }
}
