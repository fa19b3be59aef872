package org.pvsim.machine.uv.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * Failures to inject into UV calls, for tests and for the command line. One rule per line (or
 * separated by ';'):
 * <pre>
 *   COMMAND [cc=N] [rc=0xNNNN] [rrc=0xNNNN] (once | always | times=N | every=N) [after=N]
 * </pre>
 * COMMAND is a name ({@code CREATE_SEC_CPU}) or a code ({@code 0x0120}). Without {@code cc} the call
 * answers cc 1 with the given rc (default 0x0003); {@code cc=2} or {@code cc=3} answer busy/partial and
 * leave the block untouched. {@code after=N} lets the first N matching calls through. An rc with
 * the 0x8000 flag on CREATE_SEC_CONF creates the configuration and then reports the failure, so the
 * handle must be destroyed (NEED_DESTROY). Examples:
 * <pre>
 *   CREATE_SEC_CPU rc=0x0104 once
 *   CONV_TO_SEC_STOR cc=2 every=3
 *   DESTROY_SEC_CONF rc=0x0104 always
 * </pre>
 */
public final class UvFaultRules {
    /** What an injected failure answers. */
    public record Injection(int cc, int rc, int rrc) {
        public boolean needDestroy() {
            return cc == 1 && (rc & 0x8000) != 0;
        }
    }

    public enum Mode { ONCE, ALWAYS, TIMES, EVERY }

    /** One rule; {@code count} is the N of times=N / every=N. */
    public record Rule(UvCommand command, Injection injection, Mode mode, int count, int after) {
        public Rule {
            if ((mode == Mode.TIMES || mode == Mode.EVERY) && count < 1) {
                throw new IllegalArgumentException("fault rule for " + command + ": " + mode.name().toLowerCase()
                        + " needs a count of at least 1");
            }
            if (after < 0) {
                throw new IllegalArgumentException("fault rule for " + command + ": after must be >= 0");
            }
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<long[]> counters = new ArrayList<>(); // [matched, fired]
    /** Whether any rule is set: every UV call asks, and without rules it need not take the lock. */
    private volatile boolean any;

    public UvFaultRules() {
    }

    public static UvFaultRules parse(String text) {
        UvFaultRules r = new UvFaultRules();
        for (String line : text.split("[;\\n]")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                r.add(parseRule(t));
            }
        }
        return r;
    }

    public static Rule parseRule(String text) {
        String[] words = text.strip().split("\\s+");
        UvCommand command = UvCommand.parse(words[0]);
        Integer cc = null;
        int rc = -1;
        int rrc = 0;
        Mode mode = null;
        int count = 0;
        int after = 0;
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase();
            String key = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String val = w.contains("=") ? w.substring(w.indexOf('=') + 1) : null;
            switch (key) {
                case "cc" -> cc = number(val, key, text, 0, 3);
                case "rc" -> rc = number(val, key, text, 0, 0xffff);
                case "rrc" -> rrc = number(val, key, text, 0, 0xffff);
                case "after" -> after = number(val, key, text, 0, Integer.MAX_VALUE);
                case "once" -> mode = setMode(mode, Mode.ONCE, text);
                case "always" -> mode = setMode(mode, Mode.ALWAYS, text);
                case "times" -> {
                    mode = setMode(mode, Mode.TIMES, text);
                    count = number(val, key, text, 1, Integer.MAX_VALUE);
                }
                case "every" -> {
                    mode = setMode(mode, Mode.EVERY, text);
                    count = number(val, key, text, 1, Integer.MAX_VALUE);
                }
                default -> throw new IllegalArgumentException("fault rule '" + text + "': unknown word '" + words[i]
                        + "' (expected cc=, rc=, rrc=, once, always, times=, every=, after=)");
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("fault rule '" + text + "': say when it applies (once, always, times=N or every=N)");
        }
        int theCc = cc != null ? cc : 1;
        if (theCc == 0) {
            throw new IllegalArgumentException("fault rule '" + text + "': cc=0 is not a failure");
        }
        if (theCc == 1 && rc < 0) {
            rc = 0x0003;
        }
        if (theCc == 1 && (rc == 0 || rc == 1)) {
            throw new IllegalArgumentException("fault rule '" + text + "': rc " + rc + " is not an error code");
        }
        if (theCc > 1 && rc >= 0) {
            throw new IllegalArgumentException("fault rule '" + text + "': cc " + theCc + " (busy) carries no rc");
        }
        return new Rule(command, new Injection(theCc, Math.max(rc, 0), rrc), mode, count, after);
    }

    public synchronized UvFaultRules add(Rule rule) {
        rules.add(rule);
        counters.add(new long[2]);
        any = true;
        return this;
    }

    public synchronized UvFaultRules add(String rule) {
        return add(parseRule(rule));
    }

    public synchronized void clear() {
        rules.clear();
        counters.clear();
        any = false;
    }

    public synchronized List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** Called by the UV once per call of {@code command}: the failure to answer, if a rule fires. */
    public Optional<Injection> next(UvCommand command) {
        return any ? nextLocked(command) : Optional.empty();
    }

    private synchronized Optional<Injection> nextLocked(UvCommand command) {
        Optional<Injection> result = Optional.empty();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.command() != command) {
                continue;
            }
            long[] c = counters.get(i);
            long n = ++c[0] - r.after(); // 1-based index of this call among the eligible ones
            boolean fire = n >= 1 && switch (r.mode()) {
                case ONCE -> c[1] < 1;
                case TIMES -> c[1] < r.count();
                case ALWAYS -> true;
                case EVERY -> n % r.count() == 0;
            };
            if (fire && result.isEmpty()) {
                c[1]++;
                result = Optional.of(r.injection());
            }
        }
        return result;
    }

    private static Mode setMode(Mode old, Mode m, String text) {
        if (old != null) {
            throw new IllegalArgumentException("fault rule '" + text + "': more than one of once/always/times/every");
        }
        return m;
    }

    private static int number(String val, String key, String text, long min, long max) {
        if (val == null || val.isEmpty()) {
            throw new IllegalArgumentException("fault rule '" + text + "': " + key + " needs a value");
        }
        long v;
        try {
            v = val.startsWith("0x") ? Long.parseLong(val.substring(2), 16) : Long.parseLong(val);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault rule '" + text + "': " + key + "=" + val + " is not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("fault rule '" + text + "': " + key + "=" + val + " out of range "
                    + min + ".." + (max == 0xffff ? "0xffff" : max));
        }
        return (int) v;
    }
}
