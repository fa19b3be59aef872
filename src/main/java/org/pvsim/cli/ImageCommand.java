package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.ImageSpec;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.SeImageVerifier;
import org.pvsim.image.hostkey.HostKeyDocumentVerifier;
import org.pvsim.image.hostkey.HostKeyVerificationException;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.P521;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.SeVerificationException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pvsim image}: create, inspect, verify and test SE images (pvimg's commands). */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Create, inspect and verify IBM Secure Execution boot images (like s390-tools' pvimg).",
        subcommands = {ImageCommand.Create.class, ImageCommand.Info.class, ImageCommand.Verify.class,
            ImageCommand.Test.class})
final class ImageCommand implements Runnable {
    static final String NO_VERIFY_WARNING =
            "WARNING: host-key document verification is disabled. Your workload is not secured.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create an SE boot image from a kernel, an optional ramdisk and command line,"
                    + " for the machines whose host-key documents are given.")
    static final class Create implements Callable<Integer> {
        /** The boot loaders images embed (given by {@link CommandFactory}). */
        private final Supplier<BootLoaderBlobs> bootLoaders;

        @Spec
        CommandSpec spec;

        @Option(names = {"-i", "--kernel", "--image"}, required = true, paramLabel = "FILE",
                description = "Raw s390x Linux kernel image (not ELF).")
        Path kernel;

        @Option(names = {"-r", "--ramdisk"}, paramLabel = "FILE", description = "Initial ramdisk.")
        Path ramdisk;

        @Option(names = {"-p", "--parmfile"}, paramLabel = "FILE", description = "Kernel command line.")
        Path parmfile;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Image to write.")
        Path output;

        @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE",
                description = "Host-key document (X.509, EC secp521r1) of a machine that may run the image;"
                        + " repeat for up to 95 machines.")
        List<Path> hostKeyDocuments = new ArrayList<>();

        @ArgGroup(exclusive = true)
        Verification verification = new Verification();

        @Option(names = "--crl", paramLabel = "FILE", description = "Certificate revocation list.")
        List<Path> crls = new ArrayList<>();

        @Option(names = "--offline", description = "Do not download CRLs.")
        boolean offline;

        @Option(names = "--root-ca", paramLabel = "FILE", description = "Root CA instead of the system's.")
        Path rootCa;

        @Option(names = {"--hdr-key", "--x-header-key"}, paramLabel = "FILE",
                description = "32-byte SE header protection key (default: random).")
        Path hdrKey;

        @Option(names = {"--image-key", "--x-comp-key"}, paramLabel = "FILE",
                description = "64-byte AES-256-XTS component key (default: random).")
        Path imageKey;

        @Option(names = {"--cck", "--comm-key"}, paramLabel = "FILE",
                description = "32-byte customer communication key (default: random).")
        Path cck;

        @ArgGroup(exclusive = true)
        DumpToggle dump = new DumpToggle();

        @ArgGroup(exclusive = true)
        PckmoToggle pckmo = new PckmoToggle();

        @ArgGroup(exclusive = true)
        EncryptionToggle encryption = new EncryptionToggle();

        @ArgGroup(exclusive = true)
        CckExtensionSecretToggle cckExtensionSecret = new CckExtensionSecretToggle();

        @ArgGroup(exclusive = true)
        CckUpdateToggle cckUpdate = new CckUpdateToggle();

        @ArgGroup(exclusive = true)
        PckmoHmacToggle pckmoHmac = new PckmoHmacToggle();

        @ArgGroup(exclusive = true)
        BackupKeysToggle backupKeys = new BackupKeysToggle();

        @Option(names = "--x-pcf", paramLabel = "VALUE", description = "Plaintext control flags (default 0xe0).")
        String xPcf;

        @Option(names = "--x-scf", paramLabel = "VALUE", description = "Secret control flags (default 0).")
        String xScf;

        @Option(names = "--x-psw", paramLabel = "ADDRESS",
                description = "Address of the SE-header PSW (default: stage3b's address).")
        String xPsw;

        @Option(names = "--no-component-check",
                description = "Accept any kernel file and any command line length.")
        boolean noComponentCheck;

        @Option(names = "--overwrite", description = "Replace the output if it exists.")
        boolean overwrite;

        Create(Supplier<BootLoaderBlobs> bootLoaders) {
            this.bootLoaders = bootLoaders;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            org.pvsim.se.SeHeaderBuilder.checkKeyCount(hostKeyDocuments.size());

            List<X509Certificate> hkds = new ArrayList<>();
            List<ECPublicKey> hostKeys = new ArrayList<>();
            for (Path p : hostKeyDocuments) {
                List<X509Certificate> certsInFile = ImageKeyFiles.certificates(p, "host-key document");
                if (certsInFile.size() != 1) {
                    throw new IllegalArgumentException("host-key document " + p + ": contains "
                            + certsInFile.size() + " certificates, expected one");
                }
                hkds.add(certsInFile.get(0));
                hostKeys.add(ImageKeyFiles.hostKeyOf(certsInFile.get(0), p));
            }
            if (verification.noVerify) {
                err.println(NO_VERIFY_WARNING);
                err.flush();
            } else {
                verifyHostKeyDocuments(hkds);
            }

            long pcf = xPcf != null ? parseU64(xPcf, "--x-pcf") : ImageSpec.DEFAULT_PCF;
            long scf = xScf != null ? parseU64(xScf, "--x-scf") : 0;
            pcf = flag(pcf, ImageSpec.PCF_ALLOW_DUMP, dump.enable, dump.disable);
            pcf = flag(pcf, ImageSpec.PCF_PCKMO, pckmo.enable, pckmo.disable);
            pcf = flag(pcf, ImageSpec.PCF_NO_ENCRYPTION, encryption.disable, encryption.enable);
            scf = flag(scf, ImageSpec.SCF_CCK_EXTENSION_SECRET, cckExtensionSecret.enable, cckExtensionSecret.disable);
            pcf = flag(pcf, ImageSpec.PCF_PCKMO_HMAC, pckmoHmac.enable, pckmoHmac.disable);
            pcf = flag(pcf, ImageSpec.PCF_BACKUP_KEYS, backupKeys.enable, backupKeys.disable);
            scf = flag(scf, ImageSpec.SCF_CCK_UPDATE, cckUpdate.enable, cckUpdate.disable);

            ImageSpec imageSpec = new ImageSpec(kernel, ramdisk, parmfile, hostKeys, pcf, scf,
                    ImageKeyFiles.rawKey(cck, "--cck", 32), ImageKeyFiles.rawKey(hdrKey, "--hdr-key", 32),
                    ImageKeyFiles.rawKey(imageKey, "--image-key", 64),
                    xPsw != null ? parseU64(xPsw, "--x-psw") : null, !noComponentCheck);
            if (!imageSpec.encrypted()) {
                err.println("WARNING: component encryption is disabled; the components must not contain"
                        + " confidential data.");
            }
            try (ProgressBar bar = ProgressBar.forInput(err, totalInput())) {
                new SeImageBuilder(bootLoaders.get(), ImageRandomness.secure(), bar).create(imageSpec, output, overwrite);
            }
            err.println("Successfully generated the Secure Execution image " + output);
            return 0;
        }

        private long totalInput() {
            long total = 0;
            for (Path p : new Path[] {kernel, ramdisk}) {
                try {
                    total += p == null ? 0 : java.nio.file.Files.size(p);
                } catch (IOException e) {
                    // reported precisely when the builder opens it
                }
            }
            return total;
        }

        private void verifyHostKeyDocuments(List<X509Certificate> hkds) throws IOException {
            List<Path> certs = verification.certs;
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("host-key documents must be verified: give the IBM Z signing key"
                        + " and intermediate CA certificates with --cert, or use --no-verify (insecure)");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Path p : certs) {
                chain.addAll(ImageKeyFiles.certificates(p, "certificate"));
            }
            List<X509CRL> crlList = new ArrayList<>();
            for (Path p : crls) {
                crlList.addAll(ImageKeyFiles.crls(p));
            }
            X509Certificate root = rootCa == null ? null : ImageKeyFiles.certificates(rootCa, "root CA").get(0);
            try {
                HostKeyDocumentVerifier.verify(hkds, chain, crlList, root, offline);
            } catch (HostKeyVerificationException e) {
                throw new IllegalArgumentException("host-key document verification failed: " + e.getMessage(), e);
            }
        }

        private static long flag(long flags, long mask, boolean set, boolean clear) {
            if (set) {
                return flags | mask;
            }
            if (clear) {
                return flags & ~mask;
            }
            return flags;
        }
    }

    /** --no-verify or -C/--cert, not both. */
    static final class Verification {
        @Option(names = "--no-verify", description = "Do not verify the host-key documents (insecure).")
        boolean noVerify;

        @Option(names = {"-C", "--cert"}, paramLabel = "FILE",
                description = "IBM Z signing key certificate and intermediate CA certificates.")
        List<Path> certs = new ArrayList<>();
    }

    static final class DumpToggle {
        @Option(names = "--enable-dump", description = "Allow dumping the guest (needs --cck).")
        boolean enable;

        @Option(names = "--disable-dump", description = "Do not allow dumping (default).")
        boolean disable;
    }

    static final class PckmoToggle {
        @Option(names = "--enable-pckmo", description = "Allow PCKMO for DEA/TDEA, AES, ECC keys (default).")
        boolean enable;

        @Option(names = "--disable-pckmo", description = "Do not allow PCKMO.")
        boolean disable;
    }

    static final class EncryptionToggle {
        @Option(names = "--enable-image-encryption", description = "Encrypt the components (default).")
        boolean enable;

        @Option(names = "--disable-image-encryption",
                description = "Do not encrypt the components (they stay integrity protected).")
        boolean disable;
    }

    static final class CckExtensionSecretToggle {
        @Option(names = "--enable-cck-extension-secret",
                description = "Add-secret requests must carry the CCK extension secret (needs --cck).")
        boolean enable;

        @Option(names = "--disable-cck-extension-secret", description = "Do not require it (default).")
        boolean disable;
    }

    // The three below are the flags of the current pvimg create (s390-tools rust/pvimg/src/cli.rs).
    static final class CckUpdateToggle {
        @Option(names = "--enable-cck-update",
                description = "Enable CCK update support (z17 or later); excludes --enable-cck-extension-secret.")
        boolean enable;

        @Option(names = "--disable-cck-update", description = "Disable CCK update support (default).")
        boolean disable;
    }

    static final class PckmoHmacToggle {
        @Option(names = "--enable-pckmo-hmac", description = "Enable the HMAC PCKMO key encryption function.")
        boolean enable;

        @Option(names = "--disable-pckmo-hmac", description = "Disable the HMAC PCKMO key encryption function (default).")
        boolean disable;
    }

    static final class BackupKeysToggle {
        @Option(names = "--enable-backup-keys", description = "Enable the support for backup target keys.")
        boolean enable;

        @Option(names = "--disable-backup-keys", description = "Disable the support for backup target keys (default).")
        boolean disable;
    }

    /** --hdr-key or --host-key, not both. */
    static final class HeaderKey {
        @Option(names = "--hdr-key", paramLabel = "FILE", description = "32-byte SE header protection key.")
        Path hdrKey;

        @Option(names = "--host-key", paramLabel = "FILE", description = "Host private key (PEM, EC secp521r1).")
        Path hostKey;
    }

    static long parseU64(String s, String option) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a 64-bit number (decimal or 0x hex)");
        }
    }

    /** Opens the header with the header key or the host private key, whichever was given. */
    static SeHeaderSecrets openHeader(SeImage image, Path hdrKey, Path hostKey) throws IOException {
        if (hdrKey != null) {
            return HeaderCrypto.open(image.header(), ImageKeyFiles.rawKey(hdrKey, "--hdr-key", 32));
        }
        return HeaderCrypto.open(image.header(), ImageKeyFiles.hostPrivateKey(hostKey));
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Show an SE image's header, IPIB and components. Without a key the header fields are"
                    + " shown unverified; with --hdr-key or --host-key the header tag is checked and the"
                    + " decrypted part shown.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
                description = "Output format: ${COMPLETION-CANDIDATES}.")
        ImageInfo.Format format;

        @ArgGroup(exclusive = true)
        HeaderKey key = new HeaderKey();

        @Option(names = "--show-secrets", description = "Also print the keys in the decrypted header part.")
        boolean showSecrets;

        @Parameters(paramLabel = "IMAGE", description = "SE image file.")
        Path image;

        @Override
        public Integer call() throws IOException {
            Path hdrKey = key.hdrKey;
            Path hostKey = key.hostKey;
            boolean keyGiven = hdrKey != null || hostKey != null;
            if (showSecrets && !keyGiven) {
                throw new IllegalArgumentException("--show-secrets needs --hdr-key or --host-key");
            }
            SeImage img = SeImageReader.read(image);
            SeHeaderSecrets secrets = keyGiven ? openHeader(img, hdrKey, hostKey) : null;
            ImageInfo.print(spec.commandLine().getOut(), format, image, img, secrets, showSecrets);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an SE image as the Ultravisor would: key slot, header tag, every component page,"
                    + " nep, PLD, ALD and TLD. Prints 'verified' or what failed.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--host-key", required = true, paramLabel = "FILE",
                description = "Host private key (PEM, EC secp521r1).")
        Path hostKey;

        @Parameters(paramLabel = "IMAGE", description = "SE image file.")
        Path image;

        @Override
        public Integer call() throws IOException {
            ECPrivateKey key = ImageKeyFiles.hostPrivateKey(hostKey);
            try {
                SeImageVerifier.verify(image, key);
            } catch (SeVerificationException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("pvsim: verification failed: " + e.getMessage());
                err.flush();
                return 1;
            }
            spec.commandLine().getOut().println("verified");
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Tell whether an SE image has a key slot for each given host-key document.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE",
                description = "Host-key document to look for (repeatable).")
        List<Path> hostKeyDocuments = new ArrayList<>();

        @Parameters(paramLabel = "IMAGE", description = "SE image file.")
        Path image;

        @Override
        public Integer call() throws IOException {
            List<ECPublicKey> keys = new ArrayList<>();
            for (Path p : hostKeyDocuments) {
                List<X509Certificate> c = ImageKeyFiles.certificates(p, "host-key document");
                keys.add(ImageKeyFiles.hostKeyOf(c.get(0), p));
            }
            SeImage img = SeImageReader.read(image);
            boolean all = true;
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < keys.size(); i++) {
                boolean has = HeaderCrypto.findKeySlot(img.header(), keys.get(i)) >= 0;
                all &= has;
                out.println(image + (has ? " has a key slot for " : " has no key slot for ")
                        + hostKeyDocuments.get(i) + " (host key hash "
                        + java.util.HexFormat.of().formatHex(P521.hostKeyHash(keys.get(i))) + ")");
            }
            out.flush();
            return all ? 0 : 1;
        }
    }
}
