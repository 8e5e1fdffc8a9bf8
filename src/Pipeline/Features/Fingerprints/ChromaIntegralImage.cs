namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// Chromaprint's rolling integral image (<c>rolling_integral_image.h</c>): cumulative sums over time and pitch class of
/// the normalised chroma rows, keeping the last rows only (enough for the widest filter). Sums are formed in the same
/// order as Chromaprint's, so every area, and so every bit, is the same double.
/// </summary>
internal sealed class ChromaIntegralImage(int keptRows)
{
    private const int Columns = 12;
    private readonly int _maxRows = keptRows + 1;
    private readonly double[] _data = new double[(keptRows + 1) * Columns];

    public int Rows { get; private set; }

    public void AddRow(ReadOnlySpan<double> row)
    {
        Span<double> current = Row(Rows);
        double sum = 0;
        for (int c = 0; c < Columns; c++)
        {
            sum += row[c];
            current[c] = sum;
        }

        if (Rows > 0)
        {
            ReadOnlySpan<double> last = Row(Rows - 1);
            for (int c = 0; c < Columns; c++)
            {
                current[c] = last[c] + current[c];
            }
        }

        Rows++;
    }

    /// <summary>The sum over rows [<paramref name="r1"/>, <paramref name="r2"/>) and columns [<paramref name="c1"/>, <paramref name="c2"/>).</summary>
    public double Area(int r1, int c1, int r2, int c2)
    {
        if (r1 == r2 || c1 == c2)
        {
            return 0.0;
        }

        if (r1 == 0)
        {
            ReadOnlySpan<double> row = Row(r2 - 1);
            return c1 == 0 ? row[c2 - 1] : row[c2 - 1] - row[c1 - 1];
        }

        ReadOnlySpan<double> row1 = Row(r1 - 1);
        ReadOnlySpan<double> row2 = Row(r2 - 1);
        return c1 == 0
            ? row2[c2 - 1] - row1[c2 - 1]
            : row2[c2 - 1] - row1[c2 - 1] - row2[c1 - 1] + row1[c1 - 1];
    }

    private Span<double> Row(int index) => _data.AsSpan(index % _maxRows * Columns, Columns);
}
