using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MusicClassification.Dsp.Loudness;

/// <summary>
/// The K-weighting of a stereo pair eight frames at a time, in state-space block form. Sample by sample, each output
/// waits on the one before (a recursion of fused multiply-adds, about 28 ms for three minutes of 44.1 kHz stereo);
/// over a block of eight, the outputs are a matrix times the state at the block's start plus a lower-triangular
/// Toeplitz matrix (the impulse response) times the block's inputs, and the state at its end is the state matrix to
/// the eighth power times the state plus a matrix times the inputs: the eight outputs are independent of one another
/// and only the four-value state carries from block to block. The state is the transposed direct form II state of the
/// two biquads, so a caller can continue sample by sample where the blocks stop. Same filter, different rounding
/// (double precision either way). Immutable; built per meter (a few hundred operations).
/// </summary>
internal sealed class KWeightingBlocks
{
    /// <summary>Frames per block.</summary>
    public const int Length = 8;

    private const int Order = 4;

    // Column j of the output block's dependence on state j, and column m of its dependence on input m.
    private readonly Vector512<double>[] _outputFromState = new Vector512<double>[Order];
    private readonly Vector512<double>[] _outputFromInput = new Vector512<double>[Length];

    // Column j of the next state's dependence on state j (A⁸), and column m of its dependence on input m (A⁷⁻ᵐB).
    private readonly Vector256<double>[] _stateFromState = new Vector256<double>[Order];
    private readonly Vector256<double>[] _stateFromInput = new Vector256<double>[Length];

    public KWeightingBlocks(KWeighting k)
    {
        // Column by column: the recursion run once from a unit state or a unit input, in double precision.
        for (int j = 0; j < Order; j++)
        {
            var state = new double[Order];
            state[j] = 1;
            var outputs = new double[Length];
            for (int f = 0; f < Length; f++)
            {
                outputs[f] = Step(k, state, 0);
            }

            _outputFromState[j] = Vector512.Create(outputs);
            _stateFromState[j] = Vector256.Create(state);
        }

        for (int m = 0; m < Length; m++)
        {
            var state = new double[Order];
            var outputs = new double[Length];
            for (int f = 0; f < Length; f++)
            {
                outputs[f] = Step(k, state, f == m ? 1 : 0);
            }

            _outputFromInput[m] = Vector512.Create(outputs);
            _stateFromInput[m] = Vector256.Create(state);
        }
    }

    /// <summary>Whether the CPU has the 512-bit vectors this form pays on; elsewhere the sample-by-sample loop is faster.</summary>
    public static bool IsHardwareAccelerated => Avx512F.IsSupported;

    /// <summary>
    /// One sample through both biquads in transposed direct form II (the meter's own recursion): returns the output and
    /// advances <paramref name="state"/> (shelf s₀, s₁, high-pass s₀, s₁).
    /// </summary>
    public static double Step(KWeighting k, Span<double> state, double x)
    {
        double y1 = (k.ShelfB[0] * x) + state[0];
        state[0] = (k.ShelfB[1] * x) - (k.ShelfA[1] * y1) + state[1];
        state[1] = (k.ShelfB[2] * x) - (k.ShelfA[2] * y1);
        double y2 = (k.HighPassB[0] * y1) + state[2];
        state[2] = (k.HighPassB[1] * y1) - (k.HighPassA[1] * y2) + state[3];
        state[3] = (k.HighPassB[2] * y1) - (k.HighPassA[2] * y2);
        return y2;
    }

    /// <summary>
    /// Filters the whole blocks of <paramref name="interleaved"/> stereo frames, writing each frame's yₗ² + yᵣ² to
    /// <paramref name="energy"/> and carrying <paramref name="state"/> (left's four values, then right's). Returns the
    /// frames done (a multiple of <see cref="Length"/>); the caller filters the rest sample by sample.
    /// </summary>
    public int Filter(ReadOnlySpan<float> interleaved, Span<double> energy, Span<double> state)
    {
        int frames = Math.Min(interleaved.Length / 2, energy.Length);
        int blocks = frames / Length;
        if (blocks == 0)
        {
            return 0;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(state.Length, 2 * Order, nameof(state));
        ref double s = ref MemoryMarshal.GetReference(state);
        Vector256<double> left = Vector256.LoadUnsafe(ref s);
        Vector256<double> right = Vector256.LoadUnsafe(ref s, Order);

        // One block's inputs as doubles, interleaved (left, right, left, …), read back one at a time as broadcasts.
        Span<double> x = stackalloc double[2 * Length];
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref float input = ref MemoryMarshal.GetReference(interleaved);
        ref double output = ref MemoryMarshal.GetReference(energy);
        for (int b = 0; b < blocks; b++)
        {
            ref float frame = ref Unsafe.Add(ref input, b * 2 * Length);
            Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref frame)).StoreUnsafe(ref xs);
            Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref frame, 8)).StoreUnsafe(ref xs, 8);

            Vector512<double> yl = Vector512<double>.Zero, yr = Vector512<double>.Zero;
            Vector256<double> nextLeft = Vector256<double>.Zero, nextRight = Vector256<double>.Zero;
            for (int m = 0; m < Length; m++)
            {
                double l = Unsafe.Add(ref xs, 2 * m);
                double r = Unsafe.Add(ref xs, (2 * m) + 1);
                yl = Vector512.FusedMultiplyAdd(_outputFromInput[m], Vector512.Create(l), yl);
                yr = Vector512.FusedMultiplyAdd(_outputFromInput[m], Vector512.Create(r), yr);
                nextLeft = Vector256.FusedMultiplyAdd(_stateFromInput[m], Vector256.Create(l), nextLeft);
                nextRight = Vector256.FusedMultiplyAdd(_stateFromInput[m], Vector256.Create(r), nextRight);
            }

            // Only this part waits on the previous block: two short chains summed, rather than one of four.
            Vector256<double> l0 = Vector256.Create(left.GetElement(0)), l1 = Vector256.Create(left.GetElement(1));
            Vector256<double> l2 = Vector256.Create(left.GetElement(2)), l3 = Vector256.Create(left.GetElement(3));
            Vector256<double> r0 = Vector256.Create(right.GetElement(0)), r1 = Vector256.Create(right.GetElement(1));
            Vector256<double> r2 = Vector256.Create(right.GetElement(2)), r3 = Vector256.Create(right.GetElement(3));
            left = Vector256.FusedMultiplyAdd(_stateFromState[1], l1, Vector256.FusedMultiplyAdd(_stateFromState[0], l0, nextLeft))
                + Vector256.FusedMultiplyAdd(_stateFromState[3], l3, _stateFromState[2] * l2);
            right = Vector256.FusedMultiplyAdd(_stateFromState[1], r1, Vector256.FusedMultiplyAdd(_stateFromState[0], r0, nextRight))
                + Vector256.FusedMultiplyAdd(_stateFromState[3], r3, _stateFromState[2] * r2);
            yl = Vector512.FusedMultiplyAdd(_outputFromState[0], Vector512.Create(l0, l0), yl);
            yr = Vector512.FusedMultiplyAdd(_outputFromState[0], Vector512.Create(r0, r0), yr);
            yl = Vector512.FusedMultiplyAdd(_outputFromState[1], Vector512.Create(l1, l1), yl);
            yr = Vector512.FusedMultiplyAdd(_outputFromState[1], Vector512.Create(r1, r1), yr);
            yl = Vector512.FusedMultiplyAdd(_outputFromState[2], Vector512.Create(l2, l2), yl);
            yr = Vector512.FusedMultiplyAdd(_outputFromState[2], Vector512.Create(r2, r2), yr);
            yl = Vector512.FusedMultiplyAdd(_outputFromState[3], Vector512.Create(l3, l3), yl);
            yr = Vector512.FusedMultiplyAdd(_outputFromState[3], Vector512.Create(r3, r3), yr);
            Vector512.FusedMultiplyAdd(yl, yl, yr * yr).StoreUnsafe(ref Unsafe.Add(ref output, b * Length));
        }

        left.StoreUnsafe(ref s);
        right.StoreUnsafe(ref s, Order);
        return blocks * Length;
    }
}
