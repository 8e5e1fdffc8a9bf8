using MusicClassification.Decoding;
using MusicClassification.Sizing;

namespace MusicClassification.Tests.Sizing;

/// <summary>
/// The limits read from cgroup files (fake trees laid out as the kernel lays them out, v1 and v2) and the defaults
/// derived from them: a 0.5 CPU / 512 MB container and a 16-core machine get what each can run.
/// </summary>
[TestClass]
public sealed class ContainerSizingTests
{
    private const long MiB = 1 << 20;
    private string _root = null!;

    [TestInitialize]
    public void MakeRoot() => _root = Directory.CreateTempSubdirectory("mc-cgroup-fake-").FullName;

    [TestCleanup]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void Cgroup_v1_quota_and_memory_limit_are_read_from_the_process_s_own_group()
    {
        Write("/proc/self/cgroup", "12:memory:/tier\n11:cpu,cpuacct:/tier\n1:name=systemd:/\n");
        Write("/proc/self/mountinfo",
            "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n" +
            "31 25 0:27 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n" +
            "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
        Write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
        Write("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        Write("/sys/fs/cgroup/cpu,cpuacct/tier/cpu.cfs_quota_us", "50000\n");
        Write("/sys/fs/cgroup/cpu,cpuacct/tier/cpu.cfs_period_us", "100000\n");
        Write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        Write("/sys/fs/cgroup/memory/tier/memory.limit_in_bytes", (512 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));

        ContainerLimits limits = ContainerLimits.Read(_root);

        Assert.AreEqual(0.5, limits.Cpus);
        Assert.AreEqual("cgroup /sys/fs/cgroup/cpu,cpuacct/tier/cpu.cfs_quota_us", limits.CpuSource);
        Assert.AreEqual(512 * MiB, limits.MemoryBytes);
        Assert.AreEqual("cgroup /sys/fs/cgroup/memory/tier/memory.limit_in_bytes", limits.MemorySource);
    }

    [TestMethod]
    public void Cgroup_v2_limits_are_read_and_the_tightest_of_the_group_and_its_parents_wins()
    {
        Write("/proc/self/cgroup", "0::/app/worker\n");
        Write("/proc/self/mountinfo", "35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        Write("/sys/fs/cgroup/app/cpu.max", "150000 100000\n");
        Write("/sys/fs/cgroup/app/memory.max", (512 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write("/sys/fs/cgroup/app/worker/cpu.max", "max 100000\n");
        Write("/sys/fs/cgroup/app/worker/memory.max", "max\n");

        ContainerLimits limits = ContainerLimits.Read(_root);

        Assert.AreEqual(1.5, limits.Cpus);
        Assert.AreEqual("cgroup /sys/fs/cgroup/app/cpu.max", limits.CpuSource);
        Assert.AreEqual(512 * MiB, limits.MemoryBytes);
    }

    [TestMethod]
    public void Inside_a_container_the_group_path_is_relative_to_the_mount_s_root()
    {
        Write("/proc/self/cgroup", "0::/docker/abc\n");
        Write("/proc/self/mountinfo", "35 24 0:30 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n");
        Write("/sys/fs/cgroup/cpu.max", "50000 100000\n");
        Write("/sys/fs/cgroup/memory.max", "268435456\n");

        ContainerLimits limits = ContainerLimits.Read(_root);

        Assert.AreEqual(0.5, limits.Cpus);
        Assert.AreEqual(256 * MiB, limits.MemoryBytes);
    }

    [TestMethod]
    public void No_limits_and_no_cgroup_files_leave_the_runtime_s_view()
    {
        Assert.AreEqual(ContainerLimits.None, ContainerLimits.Read(_root));

        Write("/proc/self/cgroup", "0::/\n");
        Write("/proc/self/mountinfo", "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Write("/sys/fs/cgroup/cpu.max", "max 100000\n");
        Write("/sys/fs/cgroup/memory.max", "max\n");
        Assert.AreEqual(ContainerLimits.None, ContainerLimits.Read(_root));
    }

    [TestMethod]
    public void Half_a_core_and_512_MB_get_one_worker_a_small_pool_and_a_budget_that_fits_the_heap()
    {
        // The host caps its heap at half the container (HeapHardLimitPercent 50): the GC sees 256 MiB.
        var machine = new MachineView(new ContainerLimits(0.5, "cgroup cpu.max", 512 * MiB, "cgroup memory.max"), ProcessorCount: 1, ManagedHeapLimitBytes: 256 * MiB);

        PipelineSizing sizing = SizingRules.Derive(new PipelineOptions(), machine);

        Assert.AreEqual(0.5, sizing.Cpus);
        Assert.AreEqual("cgroup cpu.max", sizing.CpuSource);
        Assert.AreEqual(512 * MiB, sizing.MemoryBytes);
        Assert.AreEqual(1, sizing.MaxDegreeOfParallelism);
        StringAssert.StartsWith(sizing.ParallelismSource, "derived");
        Assert.AreEqual(128 * MiB, sizing.MemoryBudgetBytes);
        Assert.AreEqual(64, sizing.BufferPoolLimitMegabytes);
        Assert.AreEqual(1, sizing.MaxSongsInFlightPerCaller, "On half a core one song of a batch is decoded and analysed at a time.");
        Assert.AreEqual(3, sizing.MaxSongsInFlight, "A single song sent meanwhile may start beside it.");

        // 180 s at 22 050 Hz of float, three times over (the window and the analysis's working memory): two songs fit.
        Assert.AreEqual(3L * 180 * 22_050 * sizeof(float), sizing.BytesPerSong);
        Assert.AreEqual(2, sizing.MemoryBudgetBytes / sizing.BytesPerSong);
    }

    [TestMethod]
    public void Sixteen_cores_get_sixteen_workers_and_the_full_pool()
    {
        var machine = new MachineView(ContainerLimits.None, ProcessorCount: 16, ManagedHeapLimitBytes: 64L << 30);

        PipelineSizing sizing = SizingRules.Derive(new PipelineOptions(), machine);

        Assert.AreEqual(16, sizing.MaxDegreeOfParallelism);
        Assert.AreEqual(33, sizing.MaxSongsInFlight, "Decode and features each at 16, one decoded song waiting.");
        Assert.AreEqual(33, sizing.MaxSongsInFlightPerCaller);
        Assert.AreEqual("processor count", sizing.CpuSource);
        Assert.AreEqual(256, sizing.BufferPoolLimitMegabytes);
    }

    [TestMethod]
    public void Whole_track_windows_are_sized_by_the_longest_song_and_limit_the_workers_by_memory()
    {
        var machine = new MachineView(ContainerLimits.None, ProcessorCount: 8, ManagedHeapLimitBytes: 1L << 30);
        var options = new PipelineOptions { Decoding = new DecodingOptions { Window = AnalysisWindow.WholeTrack, MaxDuration = TimeSpan.FromMinutes(10) } };

        PipelineSizing sizing = SizingRules.Derive(options, machine);

        long perSong = 3L * 600 * 22_050 * sizeof(float);
        Assert.AreEqual(perSong, sizing.BytesPerSong);
        Assert.AreEqual((int)((512 * MiB) / (2 * perSong)), sizing.MaxDegreeOfParallelism);
    }

    [TestMethod]
    public void Configured_values_win_and_say_so()
    {
        var machine = new MachineView(new ContainerLimits(0.5, "cgroup cpu.max", 512 * MiB, "cgroup memory.max"), 1, 256 * MiB);

        PipelineSizing sizing = SizingRules.Derive(new PipelineOptions { MaxDegreeOfParallelism = 3, BufferPoolLimitMegabytes = 10 }, machine);

        Assert.AreEqual(3, sizing.MaxDegreeOfParallelism);
        Assert.AreEqual("configured", sizing.ParallelismSource);
        Assert.AreEqual(10, sizing.BufferPoolLimitMegabytes);
        Assert.AreEqual("configured", sizing.BufferPoolSource);
    }

    [TestMethod]
    public async Task A_pipeline_fills_its_options_from_the_sizing()
    {
        var machine = new MachineView(new ContainerLimits(0.5, "cgroup cpu.max", 512 * MiB, "cgroup memory.max"), 1, 256 * MiB);
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(new PipelineOptions(), machine: machine);

        Assert.AreEqual(1, pipeline.Options.MaxDegreeOfParallelism);
        Assert.AreEqual(64, pipeline.Options.BufferPoolLimitMegabytes);
        Assert.AreEqual(0.5, pipeline.Sizing.Cpus);
        Assert.AreEqual(default, pipeline.Load);
    }

    [TestMethod]
    public void This_process_s_own_limits_are_read_without_error()
    {
        // Whatever machine the tests run on: the reader must give an answer (limits or none), never throw.
        PipelineSizing sizing = SizingRules.Derive(new PipelineOptions(), SizingRules.CurrentMachine());

        Assert.IsTrue(sizing.Cpus > 0 && sizing.Cpus <= Environment.ProcessorCount);
        Assert.IsTrue(sizing.MaxDegreeOfParallelism >= 1);
        Assert.IsTrue(sizing.MemoryBytes > 0);
    }

    private void Write(string absolute, string content)
    {
        string path = Path.Combine(_root, absolute.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
