package dev.duplex.transfer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Semaphore;

/**
 * Blocks that are read-only memory maps of a source file ({@link SourceAccess#MAP}). At most {@code capacity} are
 * mapped at once, as many as the block pool holds buffers, so back-pressure works as with read blocks. A map is
 * unmapped as soon as its last holder releases it, not when the garbage collector gets to it, so a long run maps
 * no more than that at any time. Thread-safe.
 */
final class MappedBlocks {
    private final Semaphore free;

    MappedBlocks(int capacity) {
        this.free = new Semaphore(capacity);
    }

    /** Maps {@code length} bytes at {@code offset}; blocks while {@code capacity} maps are held. */
    SharedBuffer map(FileChannel source, long offset, int length, int holders) throws IOException,
            InterruptedException {
        free.acquire();
        MappedByteBuffer map;
        try {
            map = source.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException | RuntimeException e) {
            free.release();
            throw e;
        }
        return SharedBuffer.mapped(map, () -> {
            unmap(map);
            free.release();
        }, holders);
    }

    /** Unmaps now. Nothing may touch the buffer or any view of it afterwards: the memory is gone. */
    static void unmap(ByteBuffer map) {
        Unmapper.UNSAFE.invokeCleaner(map);
    }

    /** Looked up on first use only, so a run that maps nothing never needs jdk.unsupported. */
    private static final class Unmapper {
        static final sun.misc.Unsafe UNSAFE = unsafe();
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot unmap source blocks on this JVM; run with --mmap never", e);
        }
    }
}
