package dev.duplex.report;

import java.util.Map;

/** Writes flat JSON objects (strings, numbers, booleans) with correct escaping; enough for the audit log and summaries. */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder(128).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> f : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, f.getKey());
            b.append(':');
            Object v = f.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v == null) {
                b.append("null");
            } else {
                string(b, v.toString());
            }
        }
        return b.append('}').toString();
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
