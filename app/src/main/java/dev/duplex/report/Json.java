package dev.duplex.report;

import java.util.Map;

/** Writes JSON (objects, arrays, strings, numbers, booleans) with correct escaping: audit lines, summaries, status. */
public final class Json {
    private Json() {}

    public static String object(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder(128);
        value(b, fields);
        return b.toString();
    }

    /**
     * Appends {@code v} as JSON: maps as objects, collections as arrays, {@link java.util.Optional} as its value
     * or null, numbers (non-finite ones as null) and booleans as themselves, anything else as a string.
     */
    static void value(StringBuilder b, Object v) {
        if (v instanceof java.util.Optional<?> o) {
            value(b, o.orElse(null));
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> f : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, f.getKey().toString());
                b.append(':');
                value(b, f.getValue());
            }
            b.append('}');
        } else if (v instanceof java.util.Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object e : c) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                value(b, e);
            }
            b.append(']');
        } else if (v instanceof Double d && !Double.isFinite(d)) {
            b.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v == null) {
            b.append("null");
        } else {
            string(b, v.toString());
        }
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
