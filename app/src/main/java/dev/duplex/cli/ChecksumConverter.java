package dev.duplex.cli;

import dev.duplex.digest.HashAlgorithm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Maps {@code --checksum} names (md5, sha1, sha256, blake2b) to {@link HashAlgorithm}. */
public final class ChecksumConverter implements ITypeConverter<HashAlgorithm> {
    @Override
    public HashAlgorithm convert(String value) {
        return HashAlgorithm.fromCliName(value).orElseThrow(() -> new TypeConversionException(
                "unknown checksum algorithm '" + value + "' (choose one of " + HashAlgorithm.cliNames() + ")"));
    }
}
