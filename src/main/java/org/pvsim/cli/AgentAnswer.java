package org.pvsim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command's answer from the guest agent (guests/agent/agent.c): its data lines ({@code "cmd: ..."})
 * and the status line that ends it, {@code "cmd: rc 0xRRRR rrc 0xRRRR"} with the UV's codes, or
 * {@code "cmd: rc - why"} when the agent could not issue the call.
 *
 * @param command  add, list, lock or attest
 * @param rc       the UV's return code, -1 when the call was not issued
 * @param rrc      the UV's return reason code
 * @param data     the data lines, without the {@code "cmd: "} prefix
 * @param refusal  why the agent did not issue the call, or null
 */
record AgentAnswer(String command, int rc, int rrc, List<String> data, String refusal) {
    private static final Pattern STATUS = Pattern.compile("(\\w+): rc 0x([0-9a-f]{4}) rrc 0x([0-9a-f]{4})");
    private static final Pattern REFUSED = Pattern.compile("(\\w+): rc - (.*)");

    AgentAnswer {
        data = List.copyOf(data);
    }

    boolean executed() {
        return rc == 1;
    }

    /** The answers in a console transcript, in order; lines of the agent itself ("agent: ...") are skipped. */
    static List<AgentAnswer> parse(String transcript) {
        List<AgentAnswer> answers = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (String line : transcript.split("\r?\n")) {
            Matcher s = STATUS.matcher(line);
            Matcher r = REFUSED.matcher(line);
            if (s.matches()) {
                answers.add(new AgentAnswer(s.group(1), Integer.parseInt(s.group(2), 16), Integer.parseInt(s.group(3), 16),
                        data, null));
                data.clear();
            } else if (r.matches()) {
                answers.add(new AgentAnswer(r.group(1), -1, 0, data, r.group(2)));
                data.clear();
            } else if (!line.startsWith("agent: ")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    data.add(line.substring(colon + 2));
                }
            }
        }
        return answers;
    }

    /** "rc 0x0107 rrc 0x0000", as the UV answered. */
    String codes() {
        return String.format("rc 0x%04x rrc 0x%04x", rc, rrc);
    }
}
