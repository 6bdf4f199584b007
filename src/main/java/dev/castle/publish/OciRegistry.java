package dev.castle.publish;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.marcnuri.helm.Helm;

/**
 * Publishing to an OCI registry with Helm's engine: {@code helm registry login} when credentials are
 * given, {@code helm push} (the chart, and its provenance as a second layer), with Helm's TLS
 * options. Around it, castle refuses a version the registry has (unless forced) and, before it
 * reports success, has Helm fetch the pushed manifest back by its digest: a server that accepts
 * everything and stores nothing cannot pass.
 */
public final class OciRegistry {
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])"
                    + "(?::([0-9]{1,5}))?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DIGEST = Pattern.compile("Digest: (sha256:[0-9a-f]{64})");

    /** {@code oci://host[:port][/namespace]}: a chart {@code shop} goes to {@code namespace/shop}, tagged with its version. */
    public record Target(String host, String namespace) {
        public static Target parse(String text) throws PublishException {
            String rest = text.startsWith("oci://") ? text.substring("oci://".length()) : "";
            rest = rest.replaceAll("/+$", "");
            int slash = rest.indexOf('/');
            String host = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash + 1);
            Matcher m = HOST.matcher(host);
            if (!m.matches()) {
                throw new PublishException(text + ": \"" + host + "\" is not a registry host[:port] (oci://host[:port]/path)");
            }
            if (m.group(1) != null && (Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535)) {
                throw new PublishException(text + ": port " + m.group(1) + " is not between 1 and 65535");
            }
            if (path.contains(":") || path.contains("@")) {
                throw new PublishException(text + ": give the repository without a tag or digest; the chart is tagged with its version");
            }
            for (String component : path.isEmpty() ? new String[0] : path.split("/", -1)) {
                if (!PATH_COMPONENT.matcher(component).matches()) {
                    throw new PublishException(text + ": \"" + component + "\" is not a repository name component "
                            + "(lower-case letters and digits, with . _ - between them)");
                }
            }
            return new Target(host, path);
        }

        /** {@code oci://host/namespace/name}, as {@code helm install} takes it. */
        public String url(String chartName) {
            return "oci://" + host + "/" + (namespace.isEmpty() ? "" : namespace + "/") + chartName;
        }
    }

    /** Helm's connection options: CA bundle, client certificate and key, skipping verification, plain HTTP. */
    public record Connection(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, boolean insecureSkipTlsVerify,
            boolean plainHttp) {
        <C> C apply(C command, Function<Path, C> ca, Function<Path, C> cert, Function<Path, C> key, Supplier<C> insecure,
                Supplier<C> plain) {
            caFile.ifPresent(ca::apply);
            certFile.ifPresent(cert::apply);
            keyFile.ifPresent(key::apply);
            if (insecureSkipTlsVerify) {
                insecure.get();
            }
            if (plainHttp) {
                plain.get();
            }
            return command;
        }
    }

    /** What was published: {@code oci://...:version}, the manifest digest, and whether a version was replaced. */
    public record Result(String reference, String digest, boolean replaced) {
    }

    private OciRegistry() {
    }

    /**
     * Logs in with these credentials (Helm keeps them in its registry configuration, as after
     * {@code helm registry login}); without, Helm uses what {@code helm registry login} or
     * {@code docker login} stored.
     */
    public static void login(Target target, Connection connection, String username, String password) throws PublishException {
        HelmCall.run("cannot log in to " + target.host() + " as " + username, () -> {
            var login = Helm.registry().login().withHost(target.host()).withUsername(username).withPassword(password);
            return connection.apply(login, login::withCaFile, login::withCertFile, login::withKeyFile, login::insecureSkipTlsVerify,
                    login::plainHttp).call();
        });
    }

    /** Pushes the chart (with its provenance), refusing a version that is there unless {@code force}, and checks what was stored. */
    public static Result publish(PackagedChart chart, Target target, Connection connection, boolean force, Instant created)
            throws PublishException {
        String url = target.url(chart.name());
        boolean exists;
        try {
            show(url, chart.version(), connection, "cannot look for " + url + " " + chart.version());
            exists = true;
        } catch (PublishException e) {
            if (!HelmCall.notFound(e)) {
                throw e;
            }
            exists = false;
        }
        if (exists && !force) {
            throw new PublishException(url + " " + chart.version() + " already exists; publish another version (--version), "
                    + "or replace it with --force");
        }
        Path work = Packager.scratch();
        try {
            Path file = work.resolve(chart.fileName());
            Files.write(file, chart.archive());
            if (chart.provenance().isPresent()) {
                Files.write(work.resolve(chart.fileName() + ".prov"), chart.provenance().get());
            }
            Files.setLastModifiedTime(file, FileTime.from(created)); // helm push takes the creation time from it
            URI remote = URI.create("oci://" + target.host() + (target.namespace().isEmpty() ? "" : "/" + target.namespace()));
            String out = HelmCall.run("cannot push " + chart.fileName() + " to " + remote, () -> {
                var push = Helm.push().withChart(file).withRemote(remote);
                return connection.apply(push, push::withCaFile, push::withCertFile, push::withKeyFile, push::insecureSkipTlsVerify,
                        push::plainHttp).call();
            });
            Matcher digest = DIGEST.matcher(out);
            if (!digest.find()) {
                throw new PublishException("Helm pushed " + chart.fileName() + " to " + remote + " but reported no digest: " + out);
            }
            verify(chart, target, digest.group(1), connection);
            return new Result(url + ":" + chart.version(), digest.group(1), exists);
        } catch (IOException e) {
            throw new PublishException("cannot prepare the push in " + work + ": " + PublishException.reason(e));
        } finally {
            Packager.delete(work);
        }
    }

    /** Has Helm fetch the manifest by the digest it pushed (the tag must point to it) and read the chart from it. */
    private static void verify(PackagedChart chart, Target target, String digest, Connection connection) throws PublishException {
        String url = target.url(chart.name());
        String doing = target.host() + " accepted " + chart.name() + " " + chart.version() + " (manifest " + digest
                + ") but does not give it back; it may not be published";
        String shown = show(url + "@" + digest, chart.version(), connection, doing);
        if (!(YamlText.load(shown, "the chart " + url) instanceof Map<?, ?> m) || !chart.name().equals(m.get("name"))
                || !chart.version().equals(m.get("version"))) {
            throw new PublishException(doing + ": it serves another chart");
        }
    }

    private static String show(String reference, String version, Connection connection, String doing) throws PublishException {
        return HelmCall.run(doing, () -> {
            var show = Helm.show(reference).chart().withVersion(version);
            return connection.apply(show, show::withCaFile, show::withCertFile, show::withKeyFile, show::insecureSkipTlsVerify,
                    show::plainHttp).call();
        });
    }
}
