package org.pvsim.machine.uv.cb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;

/** The one busy policy: write the block once, re-execute on it while cc > 1, bounded. */
class UvCallerTest {
    static final long SCRATCH = 0x10000;
    final Storage storage = new Storage(1L << 20);

    @Test
    void reExecutesOnTheBlockAsTheUvLeftItUntilTheUvIsDone() {
        List<Long> seen = new ArrayList<>();
        UvcPort partialTwice = address -> {
            long paddr = storage.readLong(address + 0x18, Storage.HOST);
            seen.add(paddr);
            if (seen.size() < 3) { // a partial answer moves the block on; the caller must not rewrite it
                storage.writeLong(address + 0x18, paddr + 0x1000, Storage.HOST);
                return 3;
            }
            storage.writeShort(address + 4, 1, Storage.HOST);
            return 0;
        };
        var a = new UvCaller(storage.hostView(), partialTwice, SCRATCH).call(ConvertFromSecure.of(UvCommand.DESTR_SEC_STOR, 0x5000));
        assertThat(seen).containsExactly(0x5000L, 0x6000L, 0x7000L);
        assertThat(a.ok()).isTrue();
        assertThat(a.cb().paddr()).isEqualTo(0x7000);
    }

    @Test
    void aUvThatStaysBusyIsAnErrorNamingTheCommandNotAHang() {
        int[] calls = {0};
        UvcPort busy = address -> {
            calls[0]++;
            return 2;
        };
        assertThatThrownBy(() -> new UvCaller(storage.hostView(), busy, SCRATCH).call(NoData.of(UvCommand.SET_UNSHARE_ALL, 1)))
                .isInstanceOfSatisfying(UvBusyException.class, e -> {
                    assertThat(e.commandName()).isEqualTo("SET_UNSHARE_ALL");
                    assertThat(e.cc()).isEqualTo(2);
                    assertThat(e.tries()).isEqualTo(UvCaller.MAX_BUSY_RETRIES);
                })
                .hasMessage("UVC 0x0340 still busy (cc 2) after 100000 tries");
        assertThat(calls[0]).isEqualTo(UvCaller.MAX_BUSY_RETRIES);
    }

    @Test
    void onceLeavesBusyToTheCaller() {
        UvcPort busy = address -> 2;
        assertThat(new UvCaller(storage.hostView(), busy, SCRATCH).once(NoData.of(UvCommand.VERIFY_IMG, 1)).cc()).isEqualTo(2);
    }
}
