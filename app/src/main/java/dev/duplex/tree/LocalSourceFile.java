package dev.duplex.tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A local regular file open for reading. */
final class LocalSourceFile implements SourceFile {
    private final Path path;
    private final FileChannel channel;
    private final FileMetadata metadata;
    private final Tree.Detail detail;

    LocalSourceFile(Path path, FileChannel channel, FileMetadata metadata, Tree.Detail detail) {
        this.path = path;
        this.channel = channel;
        this.metadata = metadata;
        this.detail = detail;
    }

    @Override
    public FileMetadata metadata() {
        return metadata;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public Optional<FileMetadata> metadataNow() throws IOException {
        try {
            MetadataReader.Stat now = detail == Tree.Detail.FULL ? MetadataReader.stat(path)
                    : MetadataReader.statBasic(path);
            return now.kind() == EntryKind.FILE ? Optional.of(now.metadata()) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<FileChannel> channel() {
        return Optional.of(channel);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
