namespace MusicClassification.Features.Mfcc;

/// <summary>The conversions for each <see cref="MelScale"/>, exactly as librosa's <c>hz_to_mel</c> / <c>mel_to_hz</c>.</summary>
internal static class MelScaleExtensions
{
    private const double LinearStep = 200.0 / 3;
    private const double LogStartHz = 1000;
    private const double LogStartMel = LogStartHz / LinearStep;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    public static double ToMel(this MelScale scale, double hz) => scale switch
    {
        MelScale.Htk => 2595.0 * Math.Log10(1.0 + (hz / 700.0)),
        _ => hz >= LogStartHz ? LogStartMel + (Math.Log(hz / LogStartHz) / LogStep) : hz / LinearStep,
    };

    public static double ToHz(this MelScale scale, double mel) => scale switch
    {
        MelScale.Htk => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0),
        _ => mel >= LogStartMel ? LogStartHz * Math.Exp(LogStep * (mel - LogStartMel)) : LinearStep * mel,
    };
}
