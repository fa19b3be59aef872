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
@Command(name = "image", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Create, inspect and verify IBM Secure Execution boot images (like s390-tools' pvimg).")
final class ImageCommand implements Runnable {
    /** The subcommands, in usage order ({@link CommandTree#build} adds them). */
    static final List<Class<?>> SUBCOMMANDS = List.of(Create.class, Info.class, Verify.class, Test.class);

    // pvimg's warnings, word for word
    static final String NO_VERIFY_WARNING =
            "WARNING: Host-key document verification is disabled. The Secure Execution image may not be protected.";
    static final String UNVERIFIED_WARNING = "WARNING: The Secure Execution header integrity and authenticity was"
            + " not verified. Specify '--hdr-key' to authenticate it. Do not trust the data without verification.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
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

        @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE", split = ",",
                description = "Host-key document (X.509, EC secp521r1) of a machine that may run the image;"
                        + " repeat (or separate with commas) for up to 95 machines.")
        List<Path> hostKeyDocuments = new ArrayList<>();

        @ArgGroup(exclusive = true)
        Verification verification = new Verification();

        @Option(names = "--crl", paramLabel = "FILE", split = ",", description = "Certificate revocation list (needs --cert).")
        List<Path> crls = new ArrayList<>();

        @Option(names = "--offline", description = "Do not download CRLs (needs --cert).")
        boolean offline;

        @Option(names = "--root-ca", paramLabel = "FILE", description = "Root CA instead of the system's (needs --cert).")
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
            Log log = Log.of(spec);
            String needsCert = CertRequirement.violated(!verification.certs.isEmpty(), !crls.isEmpty(), offline,
                    rootCa != null);
            if (needsCert != null) {
                throw CertRequirement.missing(spec.commandLine(), needsCert);
            }
            PvimgConflicts.check(spec.commandLine().getParseResult());
            if (!verification.noVerify && verification.certs.isEmpty()) {
                throw HostKeyDocumentOptions.mustBeVerified();
            }
            // the builder checks the output against the components; the documents and keys are read here
            org.pvsim.image.OutputTarget.check(output, keyInputs());
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
                log.info("Use host-key document at '" + p + "'");
            }
            if (verification.noVerify) {
                log.warn(NO_VERIFY_WARNING);
            } else {
                HostKeyDocumentOptions.verify(hkds, verification.certs, crls, rootCa, offline);
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
                // pvimg's warning, with the words pvsim always used
                log.warn("WARNING: component encryption is disabled, make sure that the components do not"
                        + " contain any confidential content.");
            }
            if (noComponentCheck) {
                log.warn("WARNING: The component check is turned off!");
            }
            try (ProgressBar bar = ProgressBar.forInput(spec.commandLine().getErr(), totalInput())) {
                new SeImageBuilder(bootLoaders.get(), ImageRandomness.secure(), bar).create(imageSpec, output, overwrite);
            }
            log.warn("Successfully generated the Secure Execution image " + output);
            return 0;
        }

        private Path[] keyInputs() {
            List<Path> all = new ArrayList<>(hostKeyDocuments);
            all.addAll(verification.certs);
            all.addAll(crls);
            all.addAll(java.util.Arrays.asList(rootCa, hdrKey, imageKey, cck));
            return all.toArray(Path[]::new);
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

        @Option(names = {"-C", "--cert", "--crt"}, paramLabel = "FILE", split = ",",
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
        @Option(names = {"--hdr-key", "--key"}, paramLabel = "FILE", description = "32-byte SE header protection key.")
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

    @Command(name = "info", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "Show an SE image's header, IPIB and components. Without a key the header fields are"
                    + " shown unverified; with --hdr-key or --host-key the header tag is checked and the"
                    + " decrypted part shown.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--format", paramLabel = "FORMAT", converter = OutputFormat.Converter.class,
                description = "Output format: json (json:pretty), json:minify or text:full. Default: text:full when"
                        + " stdout is a terminal, json:pretty otherwise (as pvimg, which has only JSON).")
        OutputFormat format;

        @Option(names = "--json-layout", paramLabel = "pvsim|pvimg", defaultValue = "pvsim",
                description = "JSON layout: pvsim's document (default), or inside pvimg's {meta, data} envelope.")
        ImageInfo.JsonLayout jsonLayout;

        @Option(names = "--print-schema", description = "Print the JSON Schema of the JSON output (in the"
                + " --json-layout given) and exit.")
        boolean printSchema;

        @ArgGroup(exclusive = true)
        HeaderKey key = new HeaderKey();

        @Option(names = "--show-secrets", description = "Also print the keys in the decrypted header part.")
        boolean showSecrets;

        @Parameters(paramLabel = "IMAGE", arity = "0..1", description = "SE image file.")
        Path image;

        @Override
        public Integer call() throws IOException {
            if (printSchema) {
                ImageInfo.printJson(spec.commandLine().getOut(), ImageInfo.schema(jsonLayout), false);
                spec.commandLine().getOut().flush();
                return 0;
            }
            if (image == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Missing required parameter: 'IMAGE'");
            }
            Path hdrKey = key.hdrKey;
            Path hostKey = key.hostKey;
            boolean keyGiven = hdrKey != null || hostKey != null;
            if (showSecrets && !keyGiven) {
                throw new UsageException("--show-secrets needs --hdr-key or --host-key");
            }
            SeImage img = SeImageReader.read(image);
            SeHeaderSecrets secrets = keyGiven ? openHeader(img, hdrKey, hostKey) : null;
            if (!keyGiven) {
                Log.of(spec).warn(UNVERIFIED_WARNING);
            }
            OutputFormat f = format != null ? format
                    : spec.root().userObject() instanceof Main m && !m.interactive ? OutputFormat.JSON_PRETTY
                    : OutputFormat.TEXT_FULL;
            ImageInfo.print(spec.commandLine().getOut(), f, jsonLayout, image, img, secrets, showSecrets);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, addMethodSubcommands = false,
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

    @Command(name = "test", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"Tell whether an SE image has a key slot for one of the given host-key documents, or for"
                    + " one of the host key hashes the Ultravisor reports (pvimg test).",
                    "Exit code 0 if any matches, 1 if none does."})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets = new Targets();

        @Parameters(paramLabel = "IMAGE", description = "SE image file.")
        Path image;

        @Override
        public Integer call() throws IOException {
            List<ECPublicKey> keys = new ArrayList<>();
            for (Path p : targets.hostKeyDocuments) {
                List<X509Certificate> c = ImageKeyFiles.certificates(p, "host-key document");
                keys.add(ImageKeyFiles.hostKeyOf(c.get(0), p));
            }
            List<byte[]> hashes = targets.keyHashes == null ? List.of() : UvKeyHashes.read(targets.keyHashes);
            SeImage img = SeImageReader.read(image);
            PrintWriter out = spec.commandLine().getOut();
            boolean any = false;
            for (int i = 0; i < keys.size(); i++) {
                boolean has = HeaderCrypto.findKeySlot(img.header(), keys.get(i)) >= 0;
                any |= has;
                // pvimg's lines, with which slot it is about
                out.println((has ? " \u2713 Host key document '" : " \u2718 Host key document '") + targets.hostKeyDocuments.get(i)
                        + (has ? "' is included: " + image + " has a key slot for it" : "' is not included: " + image
                        + " has no key slot for it") + " (host key hash "
                        + java.util.HexFormat.of().formatHex(P521.hostKeyHash(keys.get(i))) + ")");
            }
            for (int i = 0; i < hashes.size(); i++) {
                if (UvKeyHashes.contains(img.header(), hashes.get(i))) {
                    any = true;
                    out.println(" \u2713 " + UvKeyHashes.label(i) + " " + java.util.HexFormat.of().formatHex(hashes.get(i))
                            + " is included");
                }
            }
            if (targets.keyHashes != null && hashes.stream().noneMatch(h -> UvKeyHashes.contains(img.header(), h))) {
                Log.of(spec).warn(" \u2718 None of the key hashes is included");
            }
            out.flush();
            return any ? 0 : 1;
        }
    }

    /** -k or --key-hashes (pvimg: one of them, not both). */
    static final class Targets {
        @Option(names = {"-k", "--host-key-document"}, paramLabel = "FILE", split = ",",
                description = "Host-key document to look for (repeatable, or separated by commas).")
        List<Path> hostKeyDocuments = new ArrayList<>();

        @Option(names = "--key-hashes", paramLabel = "FILE",
                description = "Host key hashes the Ultravisor reports (15 lines of 64 hex digits);"
                        + " --key-hashes alone reads " + CommandTree.KEY_HASHES_DEFAULT + ".")
        Path keyHashes;
    }
}
