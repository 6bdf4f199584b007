package dev.castle.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.imports.ComposeImporter;
import dev.castle.imports.ImportResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Turns a Docker Compose project into a castle descriptor. Several files merge as docker compose -f a -f b does;"
                + " each is first validated against the Compose Specification.",
                "Variables ($${VAR:-default}) come from the environment and the .env file beside the first file.",
                "Known datastore images (postgres, mysql, mariadb, mongo, redis, rabbitmq, kafka...) become infrastructure whose"
                        + " credentials castle generates; depends_on and host names become dependsOn; healthchecks become probes;"
                        + " profiles become environments."})
final class ImportComposeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Compose files (compose.yaml, docker-compose.yml, overrides...).")
    List<Path> files;

    @Option(names = "--name", paramLabel = "NAME", description = "The system's name (default: the Compose project name, or the folder's).")
    String name;

    @Mixin
    ImportOutput output;

    @Override
    public Integer call() throws Exception {
        InitCommand.checkName("--name", name);
        ImportResult result = ComposeImporter.importFiles(files, System.getenv(), Optional.ofNullable(name));
        return output.write(result, "castle import compose");
    }
}
