package dev.duplex.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TempNameTest {
    @Test
    void buildsDotNameTokenSuffixBesideTheFinalName() {
        Path temp = TempName.forFinal(Path.of("/d/sub/report.pdf"));
        assertThat(temp.getParent()).isEqualTo(Path.of("/d/sub"));
        assertThat(temp.getFileName().toString()).matches("\\.report\\.pdf\\.[0-9a-f]{8}\\.duplex-tmp");
    }

    @Test
    void isTheSameForTheSameFileSoRetriesReuseIt() {
        assertThat(TempName.forFinal(Path.of("/d/a.bin"))).isEqualTo(TempName.forFinal(Path.of("/d/a.bin")));
        assertThat(TempName.forFinal(Path.of("/d/a.bin"))).isNotEqualTo(TempName.forFinal(Path.of("/d/b.bin")));
    }

    @Test
    void staysWithin255BytesForLongMultibyteNames() {
        String longName = "文".repeat(85) + ".txt"; // 259 bytes
        String temp = TempName.forFinal(Path.of("/d", longName)).getFileName().toString();
        assertThat(temp.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(TempName.isTemp(temp)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({".a.txt.0123abcd.duplex-tmp,true", "a.duplex-tmp,false", ".duplex-tmp,false",
        ".x.duplex-tmp,true", "report.pdf,false", ".hidden,false"})
    void recognisesTempNames(String name, boolean temp) {
        assertThat(TempName.isTemp(name)).isEqualTo(temp);
    }

    @Test
    void rejectsAPathWithoutAFileName() {
        assertThatThrownBy(() -> TempName.forFinal(Path.of("/"))).hasMessageContaining("'/'");
    }
}
