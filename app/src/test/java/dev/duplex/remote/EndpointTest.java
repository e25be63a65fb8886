package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.tree.RelPath;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void parsesHostPortModuleAndPath() {
        Endpoint e = Endpoint.parse("duplex://nas.example:9100/data/photos/2024");
        assertThat(e.tls()).isFalse();
        assertThat(e.host()).isEqualTo("nas.example");
        assertThat(e.port()).isEqualTo(9100);
        assertThat(e.module()).isEqualTo("data");
        assertThat(e.path()).isEqualTo(RelPath.of("photos/2024"));
        assertThat(e).hasToString("duplex://nas.example:9100/data/photos/2024");
    }

    @Test
    void defaultsThePortAndKnowsTlsAndIpv6() {
        Endpoint e = Endpoint.parse("duplexs://[fd00::1]/backup/");
        assertThat(e.tls()).isTrue();
        assertThat(e.host()).isEqualTo("fd00::1");
        assertThat(e.port()).isEqualTo(9031);
        assertThat(e.path().isRoot()).isTrue();
        assertThat(e).hasToString("duplexs://[fd00::1]:9031/backup");
        assertThat(e.server()).isEqualTo("[fd00::1]:9031");
    }

    @Test
    void tellsEndpointsFromLocalPaths() {
        assertThat(Endpoint.isEndpoint("DUPLEX://h/m")).isTrue();
        assertThat(Endpoint.isEndpoint("/mnt/duplex://x")).isFalse();
        assertThat(Endpoint.isEndpoint("./duplex")).isFalse();
    }

    @Test
    void refusesWhatIsNotAnEndpoint() {
        assertThatThrownBy(() -> Endpoint.parse("duplex://host")).hasMessageContaining("MODULE");
        assertThatThrownBy(() -> Endpoint.parse("duplex://host:99999/m")).hasMessageContaining("port");
        assertThatThrownBy(() -> Endpoint.parse("duplex://host/m/../etc")).hasMessageContaining("..");
        assertThatThrownBy(() -> Endpoint.parse("duplex:///m")).isInstanceOf(IllegalArgumentException.class);
    }
}
