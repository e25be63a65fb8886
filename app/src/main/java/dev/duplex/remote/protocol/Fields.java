package dev.duplex.remote.protocol;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.filter.FilterRule;
import dev.duplex.filter.PathFilter;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The compound fields of requests and answers: walk rules, a walk's result, how a temp file is finished. */
public final class Fields {
    private static final int MAX_RULES = 10_000;
    private static final int MAX_PATTERN = 4096;

    private Fields() {}

    public static void walkRules(WireOut out, WalkRules r) {
        List<FilterRule> rules = r.filter().rules();
        out.i32(rules.size());
        for (FilterRule rule : rules) {
            out.u8(rule.action().ordinal()).string(rule.text());
        }
        optionalLong(out, r.filter().minSizeBytes());
        optionalLong(out, r.filter().maxSizeBytes());
        out.u8(r.excluded().ordinal()).bool(r.sizeFilter()).bool(r.warnReserved())
                .optionalString(r.markerSuffix());
        out.i32(r.companionSuffixes().size());
        r.companionSuffixes().forEach(out::string);
        out.optionalString(r.reservedRootName());
    }

    public static WalkRules walkRules(WireIn in) throws ProtocolException {
        int n = in.i32();
        if (n < 0 || n > MAX_RULES) {
            throw new ProtocolException("a walk with " + n + " rules");
        }
        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int action = in.u8();
            if (action >= FilterRule.Action.values().length) {
                throw new ProtocolException("a rule action field holds " + action);
            }
            String text = in.string();
            if (text.length() > MAX_PATTERN) {
                throw new ProtocolException("a rule of " + text.length() + " characters");
            }
            try {
                rules.add(FilterRule.parse(FilterRule.Action.values()[action], text));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("a bad rule: " + e.getMessage());
            }
        }
        OptionalLong min = optionalLong(in);
        OptionalLong max = optionalLong(in);
        int excluded = in.u8();
        if (excluded >= WalkRules.Excluded.values().length) {
            throw new ProtocolException("an excluded-mode field holds " + excluded);
        }
        boolean sizeFilter = in.bool();
        boolean warnReserved = in.bool();
        Optional<String> marker = in.optionalString();
        int suffixes = in.i32();
        if (suffixes < 0 || suffixes > 16) {
            throw new ProtocolException("a walk with " + suffixes + " companion suffixes");
        }
        List<String> companions = new ArrayList<>();
        for (int i = 0; i < suffixes; i++) {
            companions.add(in.string());
        }
        return new WalkRules(new PathFilter(rules, min, max), WalkRules.Excluded.values()[excluded], sizeFilter,
                warnReserved, marker, companions, in.optionalString());
    }

    public static void walkResult(WireOut out, WalkResult r) {
        out.i64(r.unreadable()).i64(r.excludedFiles()).i64(r.excludedBytes()).i64(r.excludedDirectories());
    }

    public static WalkResult walkResult(WireIn in) throws ProtocolException {
        return new WalkResult(in.i64(), in.i64(), in.i64(), in.i64());
    }

    public static void finish(WireOut out, TempFile.Finish f) {
        out.metadata(f.source()).bool(f.fsync()).bool(f.reread()).string(f.algorithm().cliName())
                .optionalString(f.hash());
    }

    public static TempFile.Finish finish(WireIn in) throws ProtocolException {
        return new TempFile.Finish(in.metadata(), in.bool(), in.bool(), algorithm(in), in.optionalString());
    }

    public static HashAlgorithm algorithm(WireIn in) throws ProtocolException {
        String name = in.string();
        return HashAlgorithm.fromCliName(name).orElseThrow(() -> new ProtocolException("unknown algorithm '"
                + name + "'"));
    }

    public static Tree.Detail detail(WireIn in) throws ProtocolException {
        int d = in.u8();
        if (d >= Tree.Detail.values().length) {
            throw new ProtocolException("a detail field holds " + d);
        }
        return Tree.Detail.values()[d];
    }

    private static void optionalLong(WireOut out, OptionalLong v) {
        out.bool(v.isPresent());
        if (v.isPresent()) {
            out.i64(v.getAsLong());
        }
    }

    private static OptionalLong optionalLong(WireIn in) throws ProtocolException {
        return in.bool() ? OptionalLong.of(in.i64()) : OptionalLong.empty();
    }
}
