package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's reading of the guest agent's console lines (guests/agent/agent.c's protocol). */
class AgentAnswerTest {
    @Test
    void dataLinesBelongToTheStatusLineThatFollowsThem() {
        List<AgentAnswer> a = AgentAnswer.parse("agent: ready\nadd: rc 0x0001 rrc 0x0000\r\n"
                + "list: secret 0 2 32 ab\nlist: secret 1 6 64 cd\nlist: rc 0x0001 rrc 0x0000\n"
                + "add: rc - bad request hex\nlock: rc 0x0101 rrc 0x0002\nagent: unknown command\nagent: bye\n");
        assertThat(a).containsExactly(new AgentAnswer("add", 1, 0, List.of(), null),
                new AgentAnswer("list", 1, 0, List.of("secret 0 2 32 ab", "secret 1 6 64 cd"), null),
                new AgentAnswer("add", -1, 0, List.of(), "bad request hex"),
                new AgentAnswer("lock", 0x101, 2, List.of(), null));
        assertThat(a.get(3).codes()).isEqualTo("rc 0x0101 rrc 0x0002");
        assertThat(a.get(3).executed()).isFalse();
    }

    @Test
    void anythingElseIsNoAnswer() {
        assertThat(AgentAnswer.parse("")).isEmpty();
        assertThat(AgentAnswer.parse("add: rc 0x1 rrc 0x0\n\u0000\u00ff: : :\nno colon here")).isEmpty();
    }
}
