// Trains the embedded genre model from the GTZAN feature table, reproducibly (fixed seeds, single thread):
//   dotnet run -c Release --project tools/GenreTrainer -- [table.csv] [output.json]
// Reports 10-fold stratified cross-validated accuracy for the MLP and for a linear (softmax regression) baseline,
// then trains on a stratified 90 % and writes the model with the 10 % it never saw and its accuracy on them.
using System.Globalization;
using System.Text.Json;
using MusicClassification.Classification.Genre;
using MusicClassification.Tools.GenreTrainer;

const int Seed = 20_261_124;
int Hidden = Setting("GENRE_HIDDEN", 128);
int Epochs = Setting("GENRE_EPOCHS", 150);
const int BatchSize = 32;
const double LearningRate = 1e-3;
double WeightDecay = Setting("GENRE_WD", 1e-2);
int Members = Setting("GENRE_MEMBERS", 5);

string root = FindRepositoryRoot();
string tablePath = args.Length > 0 ? args[0] : Path.Combine(root, "..", "shared", "data", "features_30_sec.madkan.csv");
string outputPath = args.Length > 1 ? args[1] : Path.Combine(root, "src", "Pipeline", "Classification", "Genre", "genre-model.json");
GtzanTable table = GtzanTable.Load(tablePath);
Console.WriteLine($"{table.Files.Length} rows, {table.Columns.Length} features, {table.LabelNames.Length} genres");

int[][] folds = StratifiedFolds(table.Labels, 10, Seed);
double[] mlpScores = CrossValidate(table, folds, [table.Columns.Length, Hidden, table.LabelNames.Length]);
double[] linearScores = Environment.GetEnvironmentVariable("GENRE_SKIP_BASELINE") == "1" ? [0] : CrossValidate(table, folds, [table.Columns.Length, table.LabelNames.Length]);
Console.WriteLine(Invariant($"10-fold CV accuracy, {Members} × MLP 57-{Hidden}-10: {mlpScores.Average():P1} ± {StdDev(mlpScores):P1}"));
Console.WriteLine(Invariant($"10-fold CV accuracy, linear softmax baseline: {linearScores.Average():P1} ± {StdDev(linearScores):P1}"));
if (Environment.GetEnvironmentVariable("GENRE_SKIP_BASELINE") != "1")
{
    // The kernel baseline's γ and λ are picked on the same folds, which flatters it: a conservative comparison for the MLP.
    (double Gamma, double Lambda, double[] Scores) bestKernel = (0, 0, [0]);
    foreach (double gamma in new[] { 0.5 / table.Columns.Length, 1.0 / table.Columns.Length, 2.0 / table.Columns.Length })
    {
        foreach (double lambda in new[] { 0.1, 0.3, 1.0, 3.0 })
        {
            double[] scores = CrossValidateKernel(table, folds, gamma, lambda);
            if (scores.Average() > bestKernel.Scores.Average())
            {
                bestKernel = (gamma, lambda, scores);
            }
        }
    }

    Console.WriteLine(Invariant($"10-fold CV accuracy, RBF kernel ridge (least-squares SVM) baseline, best of 12 settings (γ {bestKernel.Gamma:0.####}, λ {bestKernel.Lambda}): {bestKernel.Scores.Average():P1} ± {StdDev(bestKernel.Scores):P1}"));
}

int[] heldOut = StratifiedFolds(table.Labels, 10, Seed + 1)[0];
int[] training = Enumerable.Range(0, table.Files.Length).Except(heldOut).ToArray();
(double[] mean, double[] scale) = Standardisation(table, training);
Mlp[] model = Train(table, training, mean, scale, [table.Columns.Length, Hidden, table.LabelNames.Length]);
double heldOutAccuracy = Accuracy(model, table, heldOut, mean, scale);
Console.WriteLine(Invariant($"held-out accuracy (100 rows never trained on): {heldOutAccuracy:P1}"));

var file = new GenreModelFile
{
    Name = "gtzan-genre-mlp",
    Version = "1.0.0",
    Licence = "MIT (the project's own artifact, trained on GTZAN feature statistics)",
    Source = Invariant($"tools/GenreTrainer: {Members} × MLP 57-{Hidden}-10 (seeds {Seed}…), ReLU, Adam lr {LearningRate}, weight decay {WeightDecay}, {Epochs} epochs, batch {BatchSize}"),
    Labels = table.LabelNames,
    Inputs = table.Columns,
    Mean = mean,
    Scale = scale,
    Members = model.Select(member => new GenreModelFile.MemberFile
    {
        Layers = member.Weights.Select((w, l) => new GenreModelFile.LayerFile
        {
            Inputs = w.Length / member.Biases[l].Length,
            Outputs = member.Biases[l].Length,
            Weights = w.Select(x => (float)x).ToArray(),
            Biases = member.Biases[l].Select(x => (float)x).ToArray(),
        }).ToArray(),
    }).ToArray(),
    CrossValidatedAccuracy = Math.Round(mlpScores.Average(), 4),
    HeldOut = heldOut.Select(i => table.Files[i]).ToArray(),
    HeldOutAccuracy = Math.Round(heldOutAccuracy, 4),
};
await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(file, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) + "\n");
Console.WriteLine($"wrote {outputPath}");
return 0;

double[] CrossValidate(GtzanTable t, int[][] foldRows, int[] sizes) => foldRows.Select(test =>
{
    int[] train = Enumerable.Range(0, t.Files.Length).Except(test).ToArray();
    (double[] m, double[] s) = Standardisation(t, train);
    return Accuracy(Train(t, train, m, s, sizes), t, test, m, s);
}).ToArray();

double[] CrossValidateKernel(GtzanTable t, int[][] foldRows, double gamma, double lambda) => foldRows.Select(test =>
{
    int[] train = Enumerable.Range(0, t.Files.Length).Except(test).ToArray();
    (double[] m, double[] s) = Standardisation(t, train);
    var machine = KernelRidge.Fit(train.Select(r => Standardise(t.Features[r], m, s)).ToArray(), train.Select(r => t.Labels[r]).ToArray(), t.LabelNames.Length, gamma, lambda);
    return test.Count(r => ArgMax(machine.Scores(Standardise(t.Features[r], m, s))) == t.Labels[r]) / (double)test.Length;
}).ToArray();

Mlp[] Train(GtzanTable t, int[] rows, double[] m, double[] s, int[] sizes)
{
    double[][] x = rows.Select(r => Standardise(t.Features[r], m, s)).ToArray();
    int[] y = rows.Select(r => t.Labels[r]).ToArray();
    int count = sizes.Length == 2 ? 1 : Members;
    return Enumerable.Range(0, count).Select(k =>
    {
        var network = new Mlp(sizes, Seed + k);
        network.Train(x, y, Epochs, BatchSize, LearningRate, WeightDecay, Seed + k);
        return network;
    }).ToArray();
}

double Accuracy(Mlp[] ensemble, GtzanTable t, int[] rows, double[] m, double[] s) =>
    rows.Count(r =>
    {
        double[] input = Standardise(t.Features[r], m, s);
        double[] average = new double[t.LabelNames.Length];
        foreach (Mlp member in ensemble)
        {
            double[] p = member.Predict(input);
            for (int c = 0; c < average.Length; c++)
            {
                average[c] += p[c];
            }
        }

        return ArgMax(average) == t.Labels[r];
    }) / (double)rows.Length;

static (double[] Mean, double[] Scale) Standardisation(GtzanTable t, int[] rows)
{
    int width = t.Columns.Length;
    var mean = new double[width];
    var scale = new double[width];
    for (int c = 0; c < width; c++)
    {
        mean[c] = rows.Average(r => t.Features[r][c]);
        double variance = rows.Average(r => Math.Pow(t.Features[r][c] - mean[c], 2));
        scale[c] = variance > 0 ? Math.Sqrt(variance) : 1;
    }

    return (mean, scale);
}

static double[] Standardise(double[] row, double[] mean, double[] scale) => row.Select((v, c) => (v - mean[c]) / scale[c]).ToArray();

static int ArgMax(double[] values) => Array.IndexOf(values, values.Max());

static double StdDev(double[] values) => Math.Sqrt(values.Average(v => Math.Pow(v - values.Average(), 2)));

static int[][] StratifiedFolds(int[] labels, int k, int seed)
{
    var random = new Random(seed);
    var folds = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
    foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
    {
        int[] members = [.. group];
        random.Shuffle(members);
        for (int i = 0; i < members.Length; i++)
        {
            folds[i % k].Add(members[i]);
        }
    }

    return folds.Select(f => f.Order().ToArray()).ToArray();
}

static T Setting<T>(string name, T fallback)
    where T : IParsable<T> =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? T.Parse(value, CultureInfo.InvariantCulture) : fallback;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
