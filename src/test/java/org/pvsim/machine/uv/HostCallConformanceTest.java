package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.RawUvcb;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcbHeader;

/**
 * Conformance of the host calls that need no SE image, organised like cca-rmm-acs: per call, each
 * failure condition alone, then precedence, then success and the state it leaves. Facts marked
 * "uv-host N" are kvm-unit-tests' (reference userspace-and-tests §2.4).
 */
class HostCallConformanceTest {
    UvFixture m;

    @BeforeEach
    void machine() {
        m = new UvFixture();
    }

    static void expect(UvCaller.Answer<?> a, int rc) {
        assertThat(a.rc()).as("rc of %s", a).isEqualTo(rc);
        assertThat(a.cc()).as("cc of %s", a).isEqualTo(rc == 1 ? 0 : 1);
    }

    @Nested
    class Common {
        @Test
        void unknownCommandAnswersInvalidCommand() { // uv-host 3
            expect(m.call(RawUvcb.of(0x4242, 8)), 0x0002);
        }

        @ParameterizedTest
        @EnumSource(value = UvCommand.class, names = {"SET_SHARED_ACCESS", "REMOVE_SHARED_ACCESS", "RETR_ATTEST", "ADD_SECRET",
            "LIST_SECRETS", "LOCK_SECRETS", "RETR_SECRET"})
        void guestCallsFromTheHostAnswerInvalidCommandAndAreNotInstalled(UvCommand cmd) { // uv-host 3
            expect(m.call(RawUvcb.of(cmd.code(), cmd.size())), 0x0002);
            assertThat(m.qui.installed(cmd)).isFalse();
        }

        @ParameterizedTest
        @EnumSource(value = UvCommand.class, names = {"QUI", "INIT_UV", "SET_SHARED_ACCESS", "REMOVE_SHARED_ACCESS",
            "RETR_ATTEST", "ADD_SECRET", "LIST_SECRETS", "LOCK_SECRETS", "RETR_SECRET"}, mode = EnumSource.Mode.EXCLUDE)
        void everyHostCallBeforeInitAnswersInvalidState(UvCommand cmd) { // uv-host 4
            var a = m.call(RawUvcb.of(cmd.code(), cmd.size()));
            expect(a, 0x0003);
        }

        @ParameterizedTest
        @EnumSource(value = UvCommand.class, names = {"QUI", "SET_SHARED_ACCESS", "REMOVE_SHARED_ACCESS",
            "RETR_ATTEST", "ADD_SECRET", "LIST_SECRETS", "LOCK_SECRETS", "RETR_SECRET"}, mode = EnumSource.Mode.EXCLUDE)
        void wrongLengthWinsOverInvalidState(UvCommand cmd) {
            expect(m.call(RawUvcb.of(cmd.code(), cmd.size() - 8)), 0x0005);
            expect(m.call(RawUvcb.of(cmd.code(), cmd.size() + 8)), 0x0005);
        }

        @Test
        void invalidCommandWinsOverLength() {
            expect(m.call(RawUvcb.of(0x4242, 0)), 0x0002);
        }

        @Test
        void aBlockBeyondStorageIsAnAddressingException() { // uv-host 7 (addressing for absolute storage)
            assertThatThrownBy(() -> m.uv.call(m.storage.size(), Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(5));
        }

        @ParameterizedTest
        @EnumSource(value = UvCommand.class, names = {"SET_SHARED_ACCESS", "REMOVE_SHARED_ACCESS", "RETR_ATTEST", "ADD_SECRET",
            "LIST_SECRETS", "LOCK_SECRETS", "RETR_SECRET"},
                mode = EnumSource.Mode.EXCLUDE)
        void aBlockWhoseHeaderFitsButBodyCrossesTheEndIsAnAddressingException(UvCommand cmd) { // uv-host 7
            long at = m.storage.size() - 8;
            m.storage.write(at, new UvcbHeader(cmd.size(), cmd.code(), 0, 0).encode(), 0, 8, Storage.HOST);
            assertThatThrownBy(() -> m.uv.call(at, Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> {
                        assertThat(e.code()).isEqualTo(5);
                        assertThat(e.address()).isEqualTo(m.storage.size());
                    });
            assertThat(m.storage.readShort(at + 4, Storage.HOST)).as("rc untouched").isZero();
        }

        @Test
        void aBlockInSecureStorageIsASecureStorageAccess() {
            m.init();
            assertThatThrownBy(() -> m.uv.call(UvFixture.INIT_ORIGIN, Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
        }
    }

    @Nested
    class Qui {
        @Test
        void tooShortIsInvalidLength() { // uv-host 5
            expect(m.call(QueryUvInfo.request(0xa0)), 0x0005);
        }

        @Test
        void shortButUsableAnswersPartialDataWithWhatFits() { // uv-host 5
            m.storage.write(UvFixture.SCRATCH, new byte[0x120], 0, 0x120, Storage.HOST);
            var a = m.host.once(QueryUvInfo.request(0xa8));
            expect(a, 0x0100);
            assertThat(a.cb().installed(QUI)).isTrue();
            assertThat(a.cb().uvBaseStorLen()).isEqualTo(m.qui.uvBaseStorLen());
            assertThat(a.cb().featureIndications()).as("0xa0..0xa7 fits").isNotZero();
            assertThat(a.cb().suppSeHdrPcf()).as("beyond 0xa8 untouched").isZero();
        }

        @Test
        void fullLengthSucceedsAndListsEveryHostCall() { // uv-host 5
            var a = m.call(QueryUvInfo.request());
            expect(a, 0x0001);
            for (UvCommand c : UvCommand.values()) {
                if (c.bit() >= 0) {
                    assertThat(a.cb().installed(c)).as(c.name()).isEqualTo(c.allowedFrom(true));
                }
            }
            assertThat(a.cb().suppAttReqHdrVer()).isNotZero();
            assertThat(a.cb().maxGuestCpuId()).isEqualTo(247);
            assertThat(a.cb().hasFeature(0)).as("MISC").isTrue();
        }

        @Test
        void worksBeforeAndAfterInit() {
            expect(m.call(QueryUvInfo.request()), 1);
            m.init();
            expect(m.call(QueryUvInfo.request()), 1);
        }
    }

    @Nested
    class Init {
        InitUv good() {
            return InitUv.of(UvFixture.INIT_ORIGIN, m.qui.uvBaseStorLen());
        }

        @Test
        void badHeaderLength() { // uv-host 6
            expect(m.call(good().withHeader(UvcbHeader.of(INIT_UV).withLen(0x38))), 0x0005);
        }

        @Test
        void storageTooShort() { // uv-host 6
            expect(m.call(InitUv.of(UvFixture.INIT_ORIGIN, m.qui.uvBaseStorLen() - 8)), 0x0103);
        }

        @Test
        void originBeyondStorage() { // uv-host 6
            expect(m.call(InitUv.of(m.storage.size() + 8, m.qui.uvBaseStorLen())), 0x0104);
        }

        @Test
        void originPlusLengthBeyondStorage() { // uv-host 6
            expect(m.call(InitUv.of(m.storage.size() - 8, m.qui.uvBaseStorLen())), 0x0105);
            expect(m.call(InitUv.of(m.storage.size() - (1L << 20), m.qui.uvBaseStorLen())), 0x0105);
        }

        @Test
        void originBelowTwoGiB() { // uv-host 6
            expect(m.call(InitUv.of(1L << 30, m.qui.uvBaseStorLen())), 0x0108);
        }

        @Test
        void originNotMiBAligned() {
            expect(m.call(InitUv.of(UvFixture.INIT_ORIGIN + 4096, m.qui.uvBaseStorLen())), 0x0106);
        }

        @Test
        void tooManyRunningCpus() { // uv-host 6
            m.uv.setRunningCpuCensus(() -> 2);
            expect(m.call(good()), 0x0102);
            m.uv.setRunningCpuCensus(() -> 1);
            expect(m.call(good()), 0x0001);
        }

        @Test
        void precedenceLengthOverOriginOverTwoGiB() {
            expect(m.call(InitUv.of(m.storage.size() + 8, 8)), 0x0103);
            expect(m.call(InitUv.of(1L << 30 | 4096, m.qui.uvBaseStorLen())), 0x0108);
        }

        @Test
        void successDonatesTheStorageAndASecondInitFails() { // uv-host 6
            expect(m.call(good()), 0x0001);
            assertThat(m.stateOf(UvFixture.INIT_ORIGIN)).isEqualTo(Storage.STATE_UV);
            assertThat(m.stateOf(UvFixture.INIT_ORIGIN + m.qui.uvBaseStorLen() - 1)).isEqualTo(Storage.STATE_UV);
            assertThat(m.stateOf(UvFixture.INIT_ORIGIN + m.qui.uvBaseStorLen())).isEqualTo(Storage.STATE_HOST);
            assertThatThrownBy(() -> m.storage.readLong(UvFixture.INIT_ORIGIN, Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
            long other = UvFixture.INIT_ORIGIN + (16L << 20);
            expect(m.call(InitUv.of(other, m.qui.uvBaseStorLen())), 0x0101);
            expect(m.call(good()), 0x0101);
        }
    }

    @Nested
    class CreateConfig {
        UvFixture.GuestMemory mem;
        CreateSecConf good;

        @BeforeEach
        void ready() {
            m.init();
            mem = m.guestMemory(42L << 20);
            good = m.cgcBlock(mem);
        }

        CreateSecConf with(long mso, long msl, long base, long var, long sca, long asce) {
            return CreateSecConf.of(0, base, var, 0, mso, msl, sca, asce);
        }

        void fails(CreateSecConf cb, int rc) {
            var a = m.call(cb);
            expect(a, rc);
            assertThat(a.cb().guestHandle()).as("no handle").isZero();
        }

        @Test
        void badHeaderLength() { // uv-host 8
            fails(good.withHeader(UvcbHeader.of(CREATE_SEC_CONF).withLen(CreateSecConf.SIZE - 8)), 0x0005);
        }

        @Test
        void msoBeyondMaximum() { // uv-host 8
            fails(with(m.qui.maxGuestStorAddr() + (2L << 20) + 1, mem.msl(), good.confBaseStorOrigin(),
                    good.confVirtStorOrigin(), good.guestSca(), good.guestAsce()), 0x0101);
        }

        @Test
        void msoPlusMslBeyondMaximum() { // uv-host 8
            fails(with(m.qui.maxGuestStorAddr() - (1L << 20), mem.msl(), good.confBaseStorOrigin(),
                    good.confVirtStorOrigin(), good.guestSca(), good.guestAsce()), 0x0102);
        }

        @Test
        void mslNotAMultipleOfOneMiB() {
            fails(with(0, mem.msl() - 4096, good.confBaseStorOrigin(), good.confVirtStorOrigin(), good.guestSca(),
                    good.guestAsce()), 0x0106);
        }

        @Test
        void asceWithoutPrivateBit() { // uv-host 8
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), good.confVirtStorOrigin(), good.guestSca(),
                    good.guestAsce() & ~0x100L), 0x0105);
        }

        @Test
        void asceRealSpace() { // uv-host 8: bit 58
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), good.confVirtStorOrigin(), good.guestSca(),
                    good.guestAsce() | 0x20), 0x0105);
        }

        @Test
        void baseStorageBeyondMemory() { // uv-host 8
            fails(with(0, mem.msl(), m.storage.size() + 8, good.confVirtStorOrigin(), good.guestSca(),
                    good.guestAsce()), 0x0108);
        }

        @Test
        void baseStorageContainingLowcore() { // uv-host 8
            fails(with(0, mem.msl(), 0x1000, good.confVirtStorOrigin(), good.guestSca(), good.guestAsce()), 0x0109);
        }

        @Test
        void baseStorageNotSixteenKiBAligned() {
            fails(with(0, mem.msl(), good.confBaseStorOrigin() + 4096, good.confVirtStorOrigin(), good.guestSca(),
                    good.guestAsce()), 0x010a);
        }

        @Test
        void variableStorageBeyondMemory() {
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), m.storage.size() - 4096, good.guestSca(),
                    good.guestAsce()), 0x0107);
        }

        @Test
        void variableStorageContainingLowcore() { // uv-host 8 (the absolute lowcore; CPU prefixes pending)
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), 0, good.guestSca(), good.guestAsce()), 0x010e);
        }

        @Test
        void donatedStorageAlreadyInUse() {
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), UvFixture.INIT_ORIGIN, good.guestSca(),
                    good.guestAsce()), 0x010b);
        }

        @Test
        void scaZero() { // uv-host 8
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), good.confVirtStorOrigin(), 0, good.guestAsce()), 0x010c);
        }

        @Test
        void scaInaccessible() { // uv-host 8
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), good.confVirtStorOrigin(),
                    m.storage.size() + 4 * 4096, good.guestAsce()), 0x010d);
        }

        @Test
        void precedenceFollowsTheKvmUnitTestsOrder() {
            // everything wrong at once: MSO wins; then each fix reveals the next
            long base = 0x1000;
            long sca = 0;
            long asce = good.guestAsce() & ~0x100L;
            fails(with(m.qui.maxGuestStorAddr() + 1, mem.msl(), base, 0, sca, asce), 0x0101);
            fails(with(0, mem.msl(), base, 0, sca, asce), 0x0105);
            fails(with(0, mem.msl(), base, 0, sca, good.guestAsce()), 0x0109);
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), 0, sca, good.guestAsce()), 0x010e);
            fails(with(0, mem.msl(), good.confBaseStorOrigin(), good.confVirtStorOrigin(), sca, good.guestAsce()), 0x010c);
        }

        @Test
        void successDonatesBaseAndVariableStorage() { // uv-host 8
            var a = m.call(good);
            expect(a, 0x0001);
            assertThat(a.cb().guestHandle()).isNotZero();
            long varLen = m.qui.confBaseVirtStorLen() + 42 * m.qui.confVirtVarStorLen();
            for (long off = 0; off < m.qui.confBasePhysStorLen(); off += 4096) {
                assertThat(m.stateOf(good.confBaseStorOrigin() + off)).isEqualTo(Storage.STATE_UV);
            }
            for (long off = 0; off < varLen; off += 4096) {
                assertThat(m.stateOf(good.confVirtStorOrigin() + off)).isEqualTo(Storage.STATE_UV);
            }
            assertThatThrownBy(() -> m.storage.writeLong(good.confBaseStorOrigin(), 1, Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
            assertThatThrownBy(() -> m.storage.readLong(good.confVirtStorOrigin(), Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
        }

        @Test
        void reusingTheBlockOrTheAsceFails() { // uv-host 8
            expect(m.call(good), 1);
            var again = m.call(good);
            assertThat(again.cc()).isOne();
            assertThat(again.rc()).isGreaterThanOrEqualTo(0x100);
            CreateSecConf fresh = m.cgcBlock(mem); // same ASCE, new storage
            var reuse = m.call(fresh);
            assertThat(reuse.cc()).isOne();
            assertThat(reuse.rc()).isGreaterThanOrEqualTo(0x104);
            assertThat(reuse.cb().guestHandle()).isZero();
        }

        @Test
        void handlesAreDistinct() {
            long a = m.createGuest(1L << 20).handle();
            long b = m.createGuest(1L << 20).handle();
            assertThat(a).isNotEqualTo(b).isNotZero();
        }
    }

    @Nested
    class CreateCpu {
        UvFixture.Guest g;
        CreateSecCpu good;

        @BeforeEach
        void ready() {
            m.init();
            g = m.createGuest(16L << 20);
            good = m.cscBlock(g.handle(), 0);
        }

        CreateSecCpu with(long handle, long stor, int num, long sd) {
            return CreateSecCpu.of(0, handle, stor, num, sd);
        }

        void fails(CreateSecCpu cb, int rc) {
            var a = m.call(cb);
            expect(a, rc);
            assertThat(a.cb().cpuHandle()).isZero();
        }

        @Test
        void badHeaderLength() { // uv-host 9
            fails(good.withHeader(UvcbHeader.of(CREATE_SEC_CPU).withLen(CreateSecCpu.SIZE - 8)), 0x0005);
        }

        @Test
        void badGuestHandle() { // uv-host 9
            fails(with(g.handle() + 1, good.storOrigin(), 0, good.stateOrigin()), 0x0020);
        }

        @Test
        void cpuNumberTooHigh() { // uv-host 9
            fails(with(g.handle(), good.storOrigin(), m.qui.maxGuestCpuId() + 1, good.stateOrigin()), 0x0103);
        }

        @Test
        void storageBeyondMemory() { // uv-host 9
            fails(with(g.handle(), m.storage.size() + 4096, 0, good.stateOrigin()), 0x0105);
        }

        @Test
        void storageInLowcore() { // uv-host 9
            fails(with(g.handle(), 0, 0, good.stateOrigin()), 0x0106);
        }

        @Test
        void stateDescriptionBeyondMemory() { // uv-host 9
            fails(with(g.handle(), good.storOrigin(), 0, m.storage.size() + 4096), 0x0107);
        }

        @Test
        void storageAlreadyDonated() {
            fails(with(g.handle(), g.cgc().confBaseStorOrigin(), 0, good.stateOrigin()), 0x0108);
        }

        @Test
        void precedence() {
            fails(with(g.handle() ^ 1, 0, 0xffff, m.storage.size()), 0x0020);
            fails(with(g.handle(), 0, 0xffff, m.storage.size()), 0x0103);
            fails(with(g.handle(), m.storage.size(), 0, m.storage.size()), 0x0105);
            fails(with(g.handle(), 0, 0, m.storage.size()), 0x0106);
            fails(with(g.handle(), good.storOrigin(), 0, m.storage.size()), 0x0107);
        }

        @Test
        void successDonatesAndTheSameNumberIsThenAlreadyDefined() { // uv-host 9
            var a = m.call(good);
            expect(a, 1);
            assertThat(a.cb().cpuHandle()).isNotZero().isNotEqualTo(g.handle());
            assertThat(m.stateOf(good.storOrigin())).isEqualTo(Storage.STATE_UV);
            assertThatThrownBy(() -> m.storage.readLong(good.storOrigin(), Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
            fails(m.cscBlock(g.handle(), 0), 0x0104);
            expect(m.call(m.cscBlock(g.handle(), 1)), 1);
        }
    }

    @Nested
    class Destroy {
        UvFixture.Guest g;
        long cpu;
        CreateSecCpu csc;

        @BeforeEach
        void ready() {
            m.init();
            g = m.createGuest(16L << 20);
            csc = m.cscBlock(g.handle(), 0);
            cpu = m.call(csc).cb().cpuHandle();
        }

        @Test
        void cpuBadLengthAndBadHandle() { // uv-host 11
            expect(m.call(NoData.of(DESTROY_SEC_CPU, cpu).withHeader(UvcbHeader.of(DESTROY_SEC_CPU).withLen(0x38))),
                    0x0005);
            expect(m.nodata(DESTROY_SEC_CPU, cpu + 1), 0x0021);
            expect(m.nodata(DESTROY_SEC_CPU, g.handle()), 0x0021);
        }

        @Test
        void configBadLengthBadHandleAndCpusLeft() { // uv-host 12
            expect(m.call(NoData.of(DESTROY_SEC_CONF, g.handle())
                    .withHeader(UvcbHeader.of(DESTROY_SEC_CONF).withLen(0x38))), 0x0005);
            expect(m.nodata(DESTROY_SEC_CONF, g.handle() + 1), 0x0020);
            expect(m.nodata(DESTROY_SEC_CONF, cpu), 0x0020);
            expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 0x0102);
        }

        @Test
        void successGivesBackClearedStorage() { // uv-host 11, 12
            expect(m.nodata(DESTROY_SEC_CPU, cpu), 1);
            assertThat(m.stateOf(csc.storOrigin())).isEqualTo(Storage.STATE_HOST);
            assertThat(m.storage.readLong(csc.storOrigin(), Storage.HOST)).isZero();
            expect(m.nodata(DESTROY_SEC_CPU, cpu), 0x0021);
            expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 1);
            assertThat(m.stateOf(g.cgc().confBaseStorOrigin())).isEqualTo(Storage.STATE_HOST);
            assertThat(m.stateOf(g.cgc().confVirtStorOrigin())).isEqualTo(Storage.STATE_HOST);
            expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 0x0020);
            // the ASCE and the storage are free again
            expect(m.call(g.cgc().withHeader(UvcbHeader.of(CREATE_SEC_CONF))), 1);
        }

        @Test
        void fastDestroy() {
            expect(m.call(org.pvsim.machine.uv.cb.DestroyFast.of(g.handle() + 1)), 0x0020);
            expect(m.call(org.pvsim.machine.uv.cb.DestroyFast.of(g.handle())), 0x0104); // CPUs left
            expect(m.nodata(DESTROY_SEC_CPU, cpu), 1);
            var a = m.call(org.pvsim.machine.uv.cb.DestroyFast.of(g.handle()));
            expect(a, 1);
            assertThat(m.stateOf(g.cgc().confBaseStorOrigin())).isEqualTo(Storage.STATE_HOST);
            expect(m.call(org.pvsim.machine.uv.cb.DestroyFast.of(g.handle())), 0x0020);
        }

        @Test
        void cpuCallsNeedACpuHandle() {
            for (UvCommand c : new UvCommand[] {CPU_RESET, CPU_RESET_INITIAL, CPU_RESET_CLEAR}) {
                expect(m.nodata(c, g.handle()), 0x0021);
                expect(m.nodata(c, cpu), 1);
            }
            expect(m.setState(g.handle(), 1), 0x0021);
            expect(m.setState(cpu, 4), 0x0101);
            expect(m.setState(cpu, 1), 1);
            expect(m.setState(cpu, 2), 1);
            expect(m.setState(cpu, 3), 1);
            expect(m.setState(cpu, 5), 0x0003); // no verified image: nothing to load
            expect(m.nodata(PREPARE_RESET, cpu), 0x0020);
            expect(m.nodata(PREPARE_RESET, g.handle()), 1);
        }
    }


}
