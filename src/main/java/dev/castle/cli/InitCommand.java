package dev.castle.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.castle.imports.DescriptorText;
import dev.castle.scaffold.StarterDescriptor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Writes DIR/castle.yaml: a small, commented descriptor that castle generate turns into a chart that installs"
                + " as it is, and castle.schema.json beside it for editors. Never overwrites a descriptor.",
                "Each service runs a stand-in image (podinfo) until you put yours in."})
final class InitCommand implements Callable<Integer> {
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    static final List<String> TYPES = List.of("postgresql", "mysql", "mongodb", "redis", "rabbitmq", "kafka", "memcached", "jaeger");

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "Folder of the new descriptor (default: the current one).")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", description = "The system's name (default: the folder's name).")
    String name;

    @Option(names = "--services", paramLabel = "NAME", split = ",", description = "Services to start with (default: web).")
    List<String> services;

    @Option(names = "--with", paramLabel = "TYPE", split = ",",
            description = "Infrastructure to add, embedded: postgresql, mysql, mongodb, redis, rabbitmq, kafka, memcached, jaeger (the services' tracing backend).")
    List<String> with;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path descriptor = dir.resolve("castle.yaml");
        if (Files.exists(descriptor)) {
            throw new ExitCodes.UserError(descriptor + " exists: castle init does not overwrite it (edit it, or init another folder)");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ExitCodes.UserError(dir + " exists and is not a folder");
        }
        String system = name != null ? name : defaultName(dir);
        checkName("--name", system);
        List<String> serviceNames = services == null || services.isEmpty() ? List.of("web") : distinct("--services", services);
        for (String s : serviceNames) {
            checkName("--services", s);
        }
        List<String> components = with == null ? List.of() : distinct("--with", with);
        for (String type : components) {
            if (!TYPES.contains(type)) {
                throw new ExitCodes.UserError("--with " + type + ": not an infrastructure type castle knows (allowed: "
                        + String.join(", ", TYPES) + ")");
            }
            if (serviceNames.contains(type)) {
                throw new ExitCodes.UserError("--services " + type + ": also a component of --with; a name is either a service or a component");
            }
        }
        String text = StarterDescriptor.text(system, serviceNames, components, DescriptorText.SCHEMA_FILE);
        DescriptorOutput.write(descriptor, text, false, spec.commandLine().getOut());
        spec.commandLine().getOut().println("wrote " + descriptor + " (system " + system + ": " + serviceNames.size()
                + (serviceNames.size() == 1 ? " service" : " services") + (components.isEmpty() ? "" : ", " + String.join(", ", components))
                + ") and " + dir.resolve(DescriptorText.SCHEMA_FILE) + "; next: castle generate " + descriptor);
        return ExitCodes.OK;
    }

    /** The folder's name as a DNS label, or a usage error asking for --name. */
    static String defaultName(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        String folder = absolute.getFileName() == null ? "" : absolute.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
        if (folder.isEmpty() || folder.length() > 53 || !DNS_LABEL.matcher(folder).matches()) {
            throw new ExitCodes.UserError("cannot make a system name of the folder " + absolute + ": give one with --name");
        }
        return folder;
    }

    static void checkName(String option, String value) {
        if (value != null && (!DNS_LABEL.matcher(value).matches() || value.length() > 53)) {
            throw new ExitCodes.UserError(option + " " + value + ": not a name castle accepts (a DNS label: lowercase letters,"
                    + " digits and '-', starting with a letter, at most 53 characters)");
        }
    }

    private static List<String> distinct(String option, List<String> values) {
        Set<String> seen = new LinkedHashSet<>();
        for (String v : values) {
            if (!seen.add(v.trim())) {
                throw new ExitCodes.UserError(option + ": " + v + " is listed twice");
            }
        }
        return new ArrayList<>(seen);
    }
}
