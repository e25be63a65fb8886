package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesQuotesBackslashesNewlinesAndControlCharacters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "a \"b\"\\c\nd\u0001");
        m.put("size", 5L);
        assertThat(Json.object(m)).isEqualTo("{\"source\":\"a \\\"b\\\"\\\\c\\nd\\u0001\",\"size\":5}");
    }
}
