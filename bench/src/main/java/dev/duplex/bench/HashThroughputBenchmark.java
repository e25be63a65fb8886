package dev.duplex.bench;

import dev.duplex.digest.HashAlgorithm;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the four checksum algorithms over one 5 MiB block (the default block size), through the same
 * {@link HashAlgorithm} code the reader thread uses. The reader hashes every byte it copies, so a slow hash caps
 * the whole pipeline: this says which algorithms keep up with a 1 Gbit/s link (125 MB/s) and with local disk.
 * One op = one 5 MiB block; MB/s = ops/s x 5.24288.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HashThroughputBenchmark {
    private static final int BLOCK_BYTES = 5 * 1024 * 1024;

    @Param({"md5", "sha1", "sha256", "blake2b"})
    public String algorithm;

    /** heap: a byte[]-backed buffer; direct: what the tool's buffer pool hands out. */
    @Param({"direct", "heap"})
    public String buffer;

    private HashAlgorithm algo;
    private ByteBuffer block;

    @Setup
    public void setUp() {
        algo = HashAlgorithm.fromCliName(algorithm).orElseThrow();
        byte[] data = new byte[BLOCK_BYTES];
        new Random(42).nextBytes(data);
        block = buffer.equals("direct") ? ByteBuffer.allocateDirect(BLOCK_BYTES).put(data).flip() : ByteBuffer.wrap(data);
    }

    @Benchmark
    public String hashOneBlock() {
        HashAlgorithm.FileHasher hasher = algo.newHasher();
        hasher.update(block.duplicate());
        return hasher.finishHex();
    }
}
