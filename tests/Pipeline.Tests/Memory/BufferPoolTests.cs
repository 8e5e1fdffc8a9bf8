using System.Buffers;
using MusicClassification.Dsp;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Memory;

/// <summary>The bounded sample pool and its injection: the cap holds, and every buffer the pipeline rents comes back.</summary>
[TestClass]
public sealed class BufferPoolTests
{
    [TestMethod]
    public void A_returned_buffer_is_reused_by_the_next_rent_of_its_size_class()
    {
        var pool = new BoundedSamplePool(1 << 20);
        float[] first = pool.Rent(1000);

        pool.Return(first);

        Assert.AreEqual(1024, first.Length, "power-of-two size classes");
        Assert.AreSame(first, pool.Rent(600), "600 and 1000 share the 1024 class");
        Assert.AreEqual(0, pool.IdleBytes);
    }

    [TestMethod]
    public void Idle_buffers_never_exceed_the_cap()
    {
        const long Cap = 100 * 1024;
        var pool = new BoundedSamplePool(Cap);
        float[][] rented = [.. Enumerable.Range(0, 10).Select(_ => pool.Rent(8192))];

        foreach (float[] array in rented)
        {
            pool.Return(array);
        }

        Assert.AreEqual(3 * 8192 * sizeof(float), pool.IdleBytes, "three 32 KiB buffers fit under 100 KiB, the fourth does not");
        var reused = Enumerable.Range(0, 4).Select(_ => pool.Rent(8192)).ToList();
        Assert.AreEqual(3, reused.Count(r => rented.Contains(r)), "the buffers past the cap were left to the collector");
    }

    [TestMethod]
    public void A_zero_cap_keeps_nothing_and_foreign_arrays_are_not_kept()
    {
        var none = new BoundedSamplePool(0);
        float[] array = none.Rent(64);
        none.Return(array);
        Assert.AreEqual(0, none.IdleBytes);
        Assert.AreNotSame(array, none.Rent(64));

        var pool = new BoundedSamplePool(1 << 20);
        pool.Return(new float[1000]);
        Assert.AreEqual(0, pool.IdleBytes, "a length that is no size class is not ours");
    }

    [TestMethod]
    public void Concurrent_rents_and_returns_keep_the_count_exact()
    {
        var pool = new BoundedSamplePool(1L << 30);

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 2000; i++)
            {
                float[] a = pool.Rent(100 + (i % 5000));
                float[] b = pool.Rent(4096);
                pool.Return(a);
                pool.Return(b);
            }
        });

        float[][] drained = [.. Enumerable.Range(0, 64).Select(_ => pool.Rent(4096))];
        Assert.IsGreaterThanOrEqualTo(0, pool.IdleBytes);
        Assert.AreEqual(drained.Length, drained.Distinct().Count(), "no buffer is handed out twice");
    }

    [TestMethod]
    public async Task An_injected_pool_serves_every_buffer_and_gets_every_one_back()
    {
        var pool = new CountingPool();
        byte[] wav = WavBytes.Encode(TestSignals.Interleave(TestSignals.Sine(440, 40, 44_100), TestSignals.Sine(660, 40, 44_100)), 44_100, 2);
        List<SongResult> results;
        await using (var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { BufferPool = pool }))
        {
            results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(
                Enumerable.Range(0, 6).Select(i => SongInput.FromBytes($"s{i}", wav))));
        }

        Assert.IsTrue(results.All(r => r.Succeeded), string.Join("; ", results.Select(r => r.Error?.Message)));
        Assert.IsGreaterThan(6 * 5, pool.Rents, "decoding, resampling and every feature rent from the injected pool");
        Assert.AreEqual(pool.Rents, pool.Returns, "every rented buffer was returned");
    }

    /// <summary>A thread-safe pool that counts, as an application's instrumented pool would.</summary>
    private sealed class CountingPool : ArrayPool<float>
    {
        private readonly ArrayPool<float> _inner = ArrayPool<float>.Create();
        private int _rents;
        private int _returns;

        public int Rents => Volatile.Read(ref _rents);

        public int Returns => Volatile.Read(ref _returns);

        public override float[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _rents);
            return _inner.Rent(minimumLength);
        }

        public override void Return(float[] array, bool clearArray = false)
        {
            Interlocked.Increment(ref _returns);
            _inner.Return(array, clearArray);
        }
    }
}
