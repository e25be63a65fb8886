package dev.duplex.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TempNameFinalTest {
    @Test
    void theFinalNameOfATempIsReadBackWhenItCanBeToldForSure() {
        for (String name : new String[] {"a.txt", ".profile", "x", "weird.name.with.dots.duplex-tmp", "é ü.docx"}) {
            String temp = TempName.forFinal(Path.of(name)).getFileName().toString();
            assertThat(TempName.finalNameOf(temp)).as(temp).hasValue(name);
        }
        String longName = "n".repeat(250) + ".bin";
        assertThat(TempName.finalNameOf(TempName.forFinal(Path.of(longName)).getFileName().toString()))
                .as("a shortened name cannot be told").isEmpty();
        assertThat(TempName.finalNameOf(".a.txt.00000000.duplex-tmp")).as("a token that is not its CRC").isEmpty();
        assertThat(TempName.finalNameOf("a.txt")).isEmpty();
        assertThat(TempName.finalNameOf(".duplex-tmp")).isEmpty();
    }
}
