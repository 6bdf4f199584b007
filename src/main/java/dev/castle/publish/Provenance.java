package dev.castle.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * The provenance file ({@code <archive>.prov}) {@code helm package --sign} writes: an OpenPGP
 * clear-signed text of the chart's metadata, {@code ...}, and the archive's SHA-256, signed by the
 * key whose user id is (or contains, when only one does) {@code --key}, from a keyring file of
 * secret keys (GnuPG: {@code gpg --export-secret-keys > FILE}). Helm's engine signs only the archive
 * it has just written, stamped with the time of packaging; castle signs its reproducible archive.
 */
final class Provenance {
    private final PGPSecretKey secretKey;
    private final String userId;

    private Provenance(PGPSecretKey secretKey, String userId) {
        this.secretKey = secretKey;
        this.userId = userId;
    }

    /** The key {@code signer} names, looked up as Helm looks it up (an exact user id, else the one that contains it). */
    static Provenance key(Packager.Signing signer) throws PublishException {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = Files.newInputStream(signer.keyring())) {
            rings = new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (IOException e) {
            throw new PublishException("cannot read the keyring " + signer.keyring() + ": " + PublishException.reason(e));
        } catch (PGPException e) {
            throw new PublishException(signer.keyring() + " is not a keyring of secret keys (" + e.getMessage()
                    + "); export one with gpg --export-secret-keys > FILE");
        }
        Provenance candidate = null;
        boolean vague = false;
        for (PGPSecretKeyRing ring : rings) {
            PGPSecretKey master = ring.getSecretKey();
            for (Iterator<String> ids = master.getUserIDs(); ids.hasNext(); ) {
                String id = ids.next();
                if (id.equals(signer.key())) {
                    return new Provenance(master, id);
                }
                if (id.contains(signer.key())) {
                    vague |= candidate != null && candidate.secretKey != master;
                    candidate = new Provenance(master, id);
                }
            }
        }
        if (vague) {
            throw new PublishException("more than one key of " + signer.keyring() + " contains \"" + signer.key() + "\"");
        }
        if (candidate == null) {
            throw new PublishException(signer.keyring() + " has no secret key for \"" + signer.key() + "\"");
        }
        return candidate;
    }

    /** The key's fingerprint, in upper-case hex (as Artifact Hub's artifacthub.io/signKey annotation gives it). */
    String fingerprint() {
        return org.bouncycastle.util.encoders.Hex.toHexString(secretKey.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** The artifacthub.io/signKey annotation of a chart signed with this key. */
    Map<String, String> signKeyAnnotation(Optional<String> keyUrl) {
        return Map.of("artifacthub.io/signKey", "fingerprint: " + fingerprint() + "\n" + keyUrl.map(u -> "url: " + u + "\n").orElse(""));
    }

    /** The .prov of an archive: Helm's metadata block (the chart's metadata as {@code helm show chart} prints it) and the digest. */
    byte[] sign(Packager.Signing signer, String metadataYaml, String fileName, byte[] archive) throws PublishException {
        String sums = YamlText.dump(Map.of("files", Map.of(fileName, "sha256:" + ChartArchive.sha256(archive))));
        String message = metadataYaml.stripTrailing() + "\n\n...\n" + sums;
        try {
            PGPPrivateKey privateKey = secretKey.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase(signer)));
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(secretKey.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512),
                    secretKey.getPublicKey());
            generator.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerKeyID(false, secretKey.getKeyID());
            generator.setHashedSubpackets(hashed.generate());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(out);
            armor.beginClearText(HashAlgorithmTags.SHA512);
            // The signature covers each line without its trailing blanks, lines joined by CR LF (RFC 4880, 7.1);
            // the armor writes the text as it is, dash-escaped.
            String[] lines = message.split("\n", -1);
            for (int i = 0; i < lines.length - 1; i++) {
                if (i > 0) {
                    generator.update(new byte[] {'\r', '\n'});
                }
                generator.update(lines[i].replaceAll("[ \t\r]+$", "").getBytes(StandardCharsets.UTF_8));
                armor.write((lines[i] + "\n").getBytes(StandardCharsets.UTF_8));
            }
            armor.endClearText();
            generator.generate().encode(new BCPGOutputStream(armor));
            armor.close();
            return out.toByteArray();
        } catch (PGPException e) {
            throw new PublishException("cannot sign with the key \"" + userId + "\": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("checksum") ? " (a wrong passphrase?)" : ""));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /** The passphrase of a protected key: --passphrase-file, else HELM_KEY_PASSPHRASE, else asked on the terminal. */
    private char[] passphrase(Packager.Signing signer) throws PublishException {
        if (secretKey.getKeyEncryptionAlgorithm() == 0) {
            return new char[0];
        }
        if (signer.passphraseFile().isPresent()) {
            Path file = signer.passphraseFile().get();
            try {
                byte[] bytes = file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
                return new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse("").toCharArray();
            } catch (IOException e) {
                throw new PublishException("cannot read the passphrase file " + file + ": " + PublishException.reason(e));
            }
        }
        String fromEnvironment = System.getenv("HELM_KEY_PASSPHRASE");
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Password for key \"%s\" >  ", userId);
            if (typed != null) {
                return typed;
            }
        }
        throw new PublishException("the key \"" + userId + "\" is protected by a passphrase: give --passphrase-file FILE "
                + "(- for standard input) or set HELM_KEY_PASSPHRASE");
    }
}
