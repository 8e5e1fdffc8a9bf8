using MusicClassification;

namespace FolderClassifier;

/// <summary>What the command line asked for.</summary>
internal sealed record ClassifierSettings(DirectoryInfo Folder, string Format, bool Gtzan, int Parallelism, AnalysisWindow Window, string? ModelsPath, bool Duplicates = false);
