package dev.castle.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.castle.publish.Packager;
import picocli.CommandLine.Option;

/** What package and publish share: another version or appVersion, and signing (as helm package --sign). */
final class ChartOptions {
    @Option(names = "--version", paramLabel = "VERSION", description = "Use this chart version instead of Chart.yaml's.")
    String version;

    @Option(names = "--app-version", paramLabel = "VERSION", description = "Use this appVersion instead of Chart.yaml's.")
    String appVersion;

    @Option(names = "--sign", description = "Sign the archive: write <archive>.prov, as helm package --sign does "
            + "(needs --key and --keyring).")
    boolean sign;

    @Option(names = "--key", paramLabel = "NAME", description = "The signing key: its user id, or a part of it that only one key has.")
    String key;

    @Option(names = "--keyring", paramLabel = "FILE", description = "A keyring of secret keys (gpg --export-secret-keys > FILE).")
    Path keyring;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "The key's passphrase (- for standard input); "
            + "else HELM_KEY_PASSPHRASE, else asked on the terminal.")
    Path passphraseFile;

    @Option(names = "--key-url", paramLabel = "URL", description = "Where users get the public key (Artifact Hub's "
            + "artifacthub.io/signKey annotation, written with the key's fingerprint when signing).")
    String keyUrl;

    Packager.Options toOptions() {
        if (!sign && (key != null || keyring != null || passphraseFile != null || keyUrl != null)) {
            throw new ExitCodes.UserError("--key, --keyring, --passphrase-file and --key-url are for signing: add --sign");
        }
        if (sign && (key == null || keyring == null)) {
            throw new ExitCodes.UserError("--sign needs --key NAME and --keyring FILE (a keyring of secret keys: "
                    + "gpg --export-secret-keys > FILE)");
        }
        return new Packager.Options(Optional.ofNullable(version), Optional.ofNullable(appVersion),
                mtime(System.getenv().getOrDefault("SOURCE_DATE_EPOCH", "").strip()), sign
                        ? Optional.of(new Packager.Signing(key, keyring, Optional.ofNullable(passphraseFile), Optional.ofNullable(keyUrl)))
                        : Optional.empty());
    }

    /** The time stamp of the archive's entries: SOURCE_DATE_EPOCH (seconds since 1970) when set, else 1970-01-01. */
    static long mtime(String epoch) {
        try {
            long value = epoch.isEmpty() ? 0 : Long.parseLong(epoch);
            if (value >= 0 && value <= 077777777777L) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ExitCodes.UserError("SOURCE_DATE_EPOCH \"" + epoch + "\" is not a number of seconds since 1970");
    }
}
