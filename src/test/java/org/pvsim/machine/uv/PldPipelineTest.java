package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.se.PageDigests;

class PldPipelineTest {
    @AfterEach
    void unforce() {
        System.clearProperty("pvsim.uv.pldThread");
    }

    @ParameterizedTest(name = "second thread: {0}")
    @ValueSource(strings = {"true", "false"})
    void bothModesGiveThePldOfThePagesInOrder(String secondThread) throws Exception {
        System.setProperty("pvsim.uv.pldThread", secondThread);
        PageDigests viaPipeline = new PageDigests();
        PldPipeline pipeline = new PldPipeline(viaPipeline);
        PageDigests direct = new PageDigests();
        SplittableRandom r = new SplittableRandom(7);
        byte[] page = new byte[4096];
        for (int i = 0; i < 1000; i++) { // more than the ring holds: the producer must wait for the worker
            r.nextBytes(page);
            direct.updatePageBytes(page, 0, 4096);
            pipeline.submit(page, 0);
            page[0] ^= 1; // the pipeline copied the page: changing it afterwards must not matter
        }
        pipeline.drain();
        assertThat(viaPipeline.pld()).isEqualTo(direct.pld());
        if (secondThread.equals("true")) {
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
        System.setProperty("pvsim.uv.pldThread", "true");
        PageDigests viaPipeline = new PageDigests();
        PldPipeline pipeline = new PldPipeline(viaPipeline);
        PageDigests direct = new PageDigests();
        byte[] page = new byte[4096];
        for (int i = 0; i < PldPipeline.INLINE_PAGES; i++) {
            page[i % 4096] = (byte) i;
            direct.updatePageBytes(page, 0, 4096);
            pipeline.submit(page, 0);
            assertThat(pipeline.workerRunning()).isFalse();
        }
        pipeline.drain();
        assertThat(viaPipeline.pld()).isEqualTo(direct.pld());
        pipeline.submit(page, 0); // one page more: now the second thread takes over
        direct.updatePageBytes(page, 0, 4096);
        pipeline.drain();
        assertThat(viaPipeline.pld()).isEqualTo(direct.pld());
        assertThat(pipeline.workerRunning()).isTrue();
        pipeline.abandon();
    }
}
