package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagePipelineTest {
    @ParameterizedTest(name = "second thread: {0}")
    @ValueSource(booleans = {true, false})
    void bothModesGiveThePldOfThePagesInOrder(boolean secondThread) throws Exception {
        PagePipeline pipeline = PagePipeline.pageByPage("test-pld", () -> secondThread);
        PageDigests direct = new PageDigests();
        SplittableRandom r = new SplittableRandom(7);
        byte[] page = new byte[4096];
        byte[] tweak = new byte[16];
        for (int i = 0; i < 1000; i++) { // more than the ring holds: the producer must wait for the worker
            r.nextBytes(page);
            direct.update(i * 4096L, tweak, page, 0);
            pipeline.add(i * 4096L, tweak, page, 0);
            page[0] ^= 1; // the pipeline copied the page: changing it afterwards must not matter
        }
        PagePipeline.Digests d = pipeline.digests();
        assertThat(d.pld()).isEqualTo(direct.pld());
        if (secondThread) {
            assertThat(pipeline.workerRunning()).isTrue();
            for (int i = 0; i < 100 && pipeline.workerRunning(); i++) {
                Thread.sleep(50); // the worker ends itself after a second without work
            }
            assertThat(pipeline.workerRunning()).isFalse();
        } else {
            assertThat(pipeline.workerRunning()).isFalse();
        }
    }

    @org.junit.jupiter.api.Test
    void aSmallImageIsHashedOnTheCallersThreadEvenWhenASecondThreadIsForced() {
        PagePipeline pipeline = PagePipeline.pageByPage("test-pld", () -> true);
        PageDigests direct = new PageDigests();
        byte[] page = new byte[4096];
        byte[] tweak = new byte[16];
        for (int i = 0; i < PagePipeline.INLINE_PAGES; i++) {
            page[i % 4096] = (byte) i;
            direct.update(i * 4096L, tweak, page, 0);
            pipeline.add(i * 4096L, tweak, page, 0);
            assertThat(pipeline.workerRunning()).isFalse();
        }
        assertThat(pipeline.digests().pld()).isEqualTo(direct.pld());
        pipeline.add(0, tweak, page, 0); // one page more: now the second thread takes over
        direct.update(0, tweak, page, 0);
        assertThat(pipeline.digests().pld()).isEqualTo(direct.pld());
        assertThat(pipeline.workerRunning()).isTrue();
        pipeline.close();
    }
}
