package org.pvsim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.pvsim.image.ImageSpec;
import org.pvsim.image.SeImage;
import org.pvsim.se.KeySlot;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderSecrets;

/** Renders {@code pvsim image info} as text or as the JSON documented in docs/image-info-json.md. */
final class ImageInfo {
    enum Format {
        text, json
    }

    /** pvsim's document as it is, or inside pvimg's {meta, data} envelope. */
    enum JsonLayout {
        pvsim, pvimg
    }

    private static final HexFormat HEX = HexFormat.of();

    private ImageInfo() {
    }

    static void print(PrintWriter out, Format format, Path file, SeImage img, SeHeaderSecrets secrets,
            boolean showSecrets) {
        print(out, format == Format.json ? OutputFormat.JSON_PRETTY : OutputFormat.TEXT_FULL, JsonLayout.pvsim, file,
                img, secrets, showSecrets);
    }

    static void print(PrintWriter out, OutputFormat format, JsonLayout layout, Path file, SeImage img,
            SeHeaderSecrets secrets, boolean showSecrets) {
        if (format.kind() == OutputFormat.Kind.JSON) {
            ObjectNode doc = toJson(file, img, secrets, showSecrets);
            printJson(out, layout == JsonLayout.pvimg ? envelope(doc) : doc, format.minify());
        } else {
            printText(out, file, img, secrets, showSecrets);
        }
        out.flush();
    }

    /**
     * Prints {@code doc} as an ObjectMapper would (its default pretty printer, or minified), but through the
     * streaming generator alone: an ObjectMapper's first use costs a short command 30 ms of start-up.
     */
    static void printJson(PrintWriter out, JsonNode doc, boolean minify) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (!minify) {
                g.useDefaultPrettyPrinter();
            }
            write(g, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (var fields = n.fields(); fields.hasNext();) {
                    var f = fields.next();
                    g.writeFieldName(f.getKey());
                    write(g, f.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                if (n.isIntegralNumber()) {
                    g.writeNumber(n.bigIntegerValue());
                } else {
                    g.writeNumber(n.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
        }
    }

    /** pvimg's layout: what produced the document in {@code meta}, the document itself in {@code data}. */
    static ObjectNode envelope(ObjectNode doc) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = env.putObject("meta");
        meta.put("api_level", 1);
        meta.put("version", Main.Version.version());
        meta.put("schema", SCHEMA);
        env.set("data", doc);
        return env;
    }

    /** The JSON Schema (draft 2020-12) of what {@code --format json} prints in {@code layout}. */
    static ObjectNode schema(JsonLayout layout) {
        ObjectNode doc = resource("image-info.schema.json");
        if (layout == JsonLayout.pvsim) {
            return doc;
        }
        ObjectNode env = resource("image-info-envelope.schema.json");
        ((ObjectNode) env.get("$defs")).set("image-info", doc);
        return env;
    }

    private static ObjectNode resource(String name) {
        try (java.io.InputStream in = ImageInfo.class.getResourceAsStream(name)) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String SCHEMA = "pvsim-image-info/1";

    static String hex64(long v) {
        return String.format("0x%016x", v);
    }

    static ObjectNode toJson(Path file, SeImage img, SeHeaderSecrets secrets, boolean showSecrets) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("schema", SCHEMA);
        doc.put("file", file.toString());
        doc.put("layout", img.layout() == SeImage.Layout.PVIMG ? "pvimg" : "genprotimg");
        doc.put("file_size", img.fileSize());
        doc.put("verified", secrets != null);
        SeHeader h = img.header();
        ObjectNode hdr = doc.putObject("header");
        hdr.put("offset", img.headerAddress());
        hdr.put("size", h.size());
        hdr.put("version", hex32(h.version()));
        hdr.put("iv", HEX.formatHex(h.iv()));
        hdr.put("nks", h.nks());
        hdr.put("sea", h.sea());
        hdr.put("nep", h.nep());
        hdr.put("pcf", hex64(h.pcf()));
        ObjectNode cust = hdr.putObject("customer_public_key");
        byte[] xy = h.customerPublicKeyXY();
        // the 66-byte coordinates, as the text output shows them (the header pads each to 80 with zeros)
        cust.put("x", HEX.formatHex(xy, 14, 80));
        cust.put("y", HEX.formatHex(xy, 94, 160));
        hdr.put("pld", HEX.formatHex(h.pld()));
        hdr.put("ald", HEX.formatHex(h.ald()));
        hdr.put("tld", HEX.formatHex(h.tld()));
        hdr.put("tag", HEX.formatHex(h.tag()));
        ArrayNode slots = hdr.putArray("key_slots");
        for (KeySlot ks : h.keySlots()) {
            ObjectNode s = slots.addObject();
            s.put("host_key_hash", HEX.formatHex(ks.hostKeyHash()));
            s.put("wrapped_key", HEX.formatHex(ks.wrappedKey()));
            s.put("tag", HEX.formatHex(ks.tag()));
        }
        ObjectNode ipib = doc.putObject("ipib");
        ipib.put("offset", img.ipibAddress());
        ipib.put("header_address", img.ipib().headerAddress());
        ipib.put("header_size", img.ipib().headerSize());
        ArrayNode comps = doc.putArray("components");
        for (SeImage.Component c : img.components()) {
            ObjectNode o = comps.addObject();
            o.put("kind", c.kind() == null ? "unknown" : c.kind().label());
            o.put("type", c.type());
            o.put("tweak_prefix", hex64(c.tweakPrefix()));
            o.put("address", c.address());
            o.put("length", c.length());
        }
        if (secrets == null) {
            doc.putNull("secrets");
        } else {
            ObjectNode s = doc.putObject("secrets");
            s.put("psw_mask", hex64(secrets.pswMask()));
            s.put("psw_address", hex64(secrets.pswAddress()));
            s.put("scf", hex64(secrets.scf()));
            s.put("noi", secrets.noi());
            if (showSecrets) {
                s.put("cck", HEX.formatHex(secrets.cck()));
                s.put("image_key", HEX.formatHex(secrets.xtsKey()));
            } else {
                s.putNull("cck");
                s.putNull("image_key");
            }
        }
        return doc;
    }

    private static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    private static void printText(PrintWriter out, Path file, SeImage img, SeHeaderSecrets secrets, boolean showSecrets) {
        SeHeader h = img.header();
        out.printf("SE image %s (%s layout, %d bytes)%n", file,
                img.layout() == SeImage.Layout.PVIMG ? "pvimg" : "genprotimg", img.fileSize());
        out.println(secrets == null
                ? "SE header: UNVERIFIED (give --hdr-key or --host-key to check its tag)"
                : "SE header: tag verified");
        out.printf("  offset        0x%x%n", img.headerAddress());
        out.printf("  size          %d bytes%n", h.size());
        out.printf("  version       0x%x%n", h.version());
        out.printf("  iv            %s%n", HEX.formatHex(h.iv()));
        out.printf("  nks           %d%n", h.nks());
        out.printf("  sea           %d%n", h.sea());
        out.printf("  nep           %d%n", h.nep());
        out.printf("  pcf           %s%s%n", hex64(h.pcf()), describePcf(h.pcf()));
        out.printf("  customer key  X %s%n", HEX.formatHex(h.customerPublicKeyXY(), 14, 80));
        out.printf("                Y %s%n", HEX.formatHex(h.customerPublicKeyXY(), 94, 160));
        out.printf("  pld           %s%n", HEX.formatHex(h.pld()));
        out.printf("  ald           %s%n", HEX.formatHex(h.ald()));
        out.printf("  tld           %s%n", HEX.formatHex(h.tld()));
        out.printf("  tag           %s%n", HEX.formatHex(h.tag()));
        int i = 0;
        for (KeySlot ks : h.keySlots()) {
            out.printf("  key slot %-4d host key hash %s%n", i++, HEX.formatHex(ks.hostKeyHash()));
        }
        if (secrets != null) {
            out.println("Decrypted header part:");
            out.printf("  psw           %s %s%n", hex64(secrets.pswMask()), hex64(secrets.pswAddress()));
            out.printf("  scf           %s%n", hex64(secrets.scf()));
            out.printf("  noi           %d%n", secrets.noi());
            out.printf("  cck           %s%n", showSecrets ? HEX.formatHex(secrets.cck()) : "(hidden, use --show-secrets)");
            out.printf("  image key     %s%n", showSecrets ? HEX.formatHex(secrets.xtsKey()) : "(hidden, use --show-secrets)");
        }
        out.printf("IPIB at 0x%x: header address 0x%x, header size %d%n", img.ipibAddress(),
                img.ipib().headerAddress(), img.ipib().headerSize());
        out.println("Components:");
        for (SeImage.Component c : img.components()) {
            out.printf("  %-8s address 0x%08x  length 0x%08x  tweak prefix %s%n",
                    c.kind() == null ? "type " + c.type() : c.kind().label(), c.address(), c.length(),
                    hex64(c.tweakPrefix()));
        }
    }

    private static String describePcf(long pcf) {
        StringBuilder sb = new StringBuilder();
        if ((pcf & ImageSpec.PCF_ALLOW_DUMP) != 0) {
            sb.append(" dump");
        }
        if ((pcf & ImageSpec.PCF_NO_ENCRYPTION) != 0) {
            sb.append(" no-encryption");
        }
        if ((pcf & ImageSpec.PCF_PCKMO) == ImageSpec.PCF_PCKMO) {
            sb.append(" pckmo");
        }
        return sb.length() == 0 ? "" : " (" + sb.toString().trim() + ")";
    }
}
