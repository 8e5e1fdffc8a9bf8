namespace MusicClassification.Tools.GenreTrainer;

/// <summary>
/// A small multilayer perceptron trained with mini-batch Adam and L2 weight decay, single-threaded and seeded, so the
/// same table and settings always give the same weights.
/// </summary>
internal sealed class Mlp
{
    private readonly int[] _sizes;
    private readonly double[][] _weights;
    private readonly double[][] _biases;

    public Mlp(int[] sizes, int seed)
    {
        _sizes = sizes;
        var random = new Random(seed);
        _weights = new double[sizes.Length - 1][];
        _biases = new double[sizes.Length - 1][];
        for (int l = 0; l < sizes.Length - 1; l++)
        {
            double limit = Math.Sqrt(6.0 / sizes[l]);
            _weights[l] = Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => ((random.NextDouble() * 2) - 1) * limit).ToArray();
            _biases[l] = new double[sizes[l + 1]];
        }
    }

    public double[][] Weights => _weights;

    public double[][] Biases => _biases;

    public void Train(double[][] x, int[] y, int epochs, int batchSize, double learningRate, double weightDecay, int seed)
    {
        var random = new Random(seed);
        int layers = _weights.Length;
        var m = _weights.Select(w => new double[w.Length]).ToArray();
        var v = _weights.Select(w => new double[w.Length]).ToArray();
        var mb = _biases.Select(b => new double[b.Length]).ToArray();
        var vb = _biases.Select(b => new double[b.Length]).ToArray();
        int[] order = Enumerable.Range(0, x.Length).ToArray();
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int count = Math.Min(batchSize, order.Length - start);
                var gradW = _weights.Select(w => new double[w.Length]).ToArray();
                var gradB = _biases.Select(b => new double[b.Length]).ToArray();
                for (int i = 0; i < count; i++)
                {
                    Backpropagate(x[order[start + i]], y[order[start + i]], gradW, gradB);
                }

                step++;
                for (int l = 0; l < layers; l++)
                {
                    Adam(_weights[l], gradW[l], m[l], v[l], count, learningRate, weightDecay, step);
                    Adam(_biases[l], gradB[l], mb[l], vb[l], count, learningRate, 0, step);
                }
            }
        }
    }

    public double[] Predict(double[] input)
    {
        double[][] activations = Forward(input);
        return activations[^1];
    }

    private static void Adam(double[] parameters, double[] gradient, double[] m, double[] v, int count, double rate, double decay, int step)
    {
        const double Beta1 = 0.9;
        const double Beta2 = 0.999;
        const double Epsilon = 1e-8;
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = (gradient[i] / count) + (decay * parameters[i]);
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
            parameters[i] -= rate * (m[i] / correction1) / (Math.Sqrt(v[i] / correction2) + Epsilon);
        }
    }

    private double[][] Forward(double[] input)
    {
        var activations = new double[_sizes.Length][];
        activations[0] = input;
        for (int l = 0; l < _weights.Length; l++)
        {
            int inputs = _sizes[l];
            int outputs = _sizes[l + 1];
            var next = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = _biases[l][o];
                for (int i = 0; i < inputs; i++)
                {
                    sum += _weights[l][(o * inputs) + i] * activations[l][i];
                }

                next[o] = l < _weights.Length - 1 ? Math.Max(0, sum) : sum;
            }

            activations[l + 1] = next;
        }

        double[] logits = activations[^1];
        double max = logits.Max();
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = Math.Exp(logits[i] - max);
            total += logits[i];
        }

        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] /= total;
        }

        return activations;
    }

    private void Backpropagate(double[] input, int label, double[][] gradW, double[][] gradB)
    {
        double[][] activations = Forward(input);
        double[] delta = (double[])activations[^1].Clone();
        delta[label] -= 1;
        for (int l = _weights.Length - 1; l >= 0; l--)
        {
            int inputs = _sizes[l];
            int outputs = _sizes[l + 1];
            var previous = new double[inputs];
            for (int o = 0; o < outputs; o++)
            {
                gradB[l][o] += delta[o];
                for (int i = 0; i < inputs; i++)
                {
                    gradW[l][(o * inputs) + i] += delta[o] * activations[l][i];
                    previous[i] += delta[o] * _weights[l][(o * inputs) + i];
                }
            }

            if (l > 0)
            {
                for (int i = 0; i < inputs; i++)
                {
                    previous[i] = activations[l][i] > 0 ? previous[i] : 0;
                }
            }

            delta = previous;
        }
    }
}
