package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Every value the operator and claim charts document works: given the chart of each kind
 * (descriptors/valid/operators.yaml), setting the value to something else changes what Helm
 * renders for that chart, and the result still validates strictly. The table below names a
 * change for every {@code ## @param} of the charts; a value added without one fails the test.
 */
@Tag("integration")
class OperatorValuesEffectTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/operators.yaml");
    private static final Pattern PARAM = Pattern.compile("(?m)^## @param (\\S+) ");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final List<String> COMMON = List.of("nameOverride=renamed", "fullnameOverride=fully-renamed", "component=other",
            "partOf=other", "commonLabels.team=data", "commonAnnotations.note=x");
    private static final List<String> COMMON_PARAMS = List.of("nameOverride", "fullnameOverride", "component", "partOf", "commonLabels",
            "commonAnnotations");

    @TempDir
    static Path out;
    static Path chart;
    static Set<String> claimKinds;

    @BeforeAll
    static void generate() throws Exception {
        chart = Generation.generate(DESCRIPTOR, out);
        claimKinds = OperatorFixtures.claimKinds(dev.castle.cli.Pipeline.model(DESCRIPTOR));
    }

    /** chart -> (param -> the --set that changes it); force is checked apart (it matters without the APIs). */
    static Map<String, Map<String, String>> changes() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        Map<String, String> postgres = common();
        postgres.putAll(ordered("image.registry=mirror.example.com", "image.repository=acme/postgres", "image.tag=17.4",
                "image.digest=" + DIGEST, "image.pullPolicy=Always", "instances=5", "database=other", "owner=someone",
                "parameters.work_mem=64MB", "storage.size=30Gi", "storage.storageClass=slow", "resources.requests.cpu=1",
                "pooler.enabled=false", "pooler.instances=3", "pooler.poolMode=session", "pooler.resources.requests.cpu=200m",
                "backup.enabled=false", "backup.destinationPath=s3://other/path", "backup.endpointURL=https://minio.example.com",
                "backup.s3Credentials.secretName=other", "backup.s3Credentials.accessKeyIdKey=a", "backup.s3Credentials.secretAccessKeyKey=b",
                "backup.retentionPolicy=7d", "backup.schedule=0 0 1 * * *"));
        all.put("orders-db-operator", postgres);
        Map<String, String> kafka = common();
        kafka.putAll(ordered("apiVersion=kafka.strimzi.io/v1", "version=3.9.1", "replicas=5", "storage.size=30Gi", "storage.storageClass=slow",
                "resources.requests.cpu=1", "config.num\\.partitions=6", "entityOperator.topicOperator.resources.requests.cpu=200m",
                "entityOperator.userOperator.resources.requests.cpu=200m", "topics.orders-created.partitions=12", "users.worker.enabled=false"));
        all.put("events-operator", kafka);
        Map<String, String> rabbit = common();
        rabbit.putAll(ordered("image.registry=mirror.example.com", "image.repository=acme/rabbitmq", "image.tag=4.1.0-management",
                "image.digest=" + DIGEST, "replicas=5", "virtualHost=other", "persistence.storage=30Gi",
                "persistence.storageClassName=slow", "resources.requests.cpu=1"));
        all.put("jobs-operator", rabbit);
        Map<String, String> mongo = common();
        mongo.putAll(ordered("version=8.0.4", "members=5", "database=other", "auth.username=someone", "storage.size=30Gi",
                "storage.storageClass=slow", "logsStorage.size=5Gi", "resources.requests.cpu=1", "agentResources.requests.cpu=200m",
                "credentials.generator=externalSecrets", "credentials.length=40", "credentials.job.image.registry=mirror.example.com",
                "credentials.job.image.repository=acme/curl", "credentials.job.image.tag=8.12.0", "credentials.job.image.digest=" + DIGEST,
                "credentials.job.image.pullPolicy=Always", "credentials.job.backoffLimit=5", "credentials.job.activeDeadlineSeconds=600",
                "credentials.job.resources.requests.cpu=20m", "credentials.job.securityContext.runAsUser=1000", "credentials.job.networkPolicy=false"));
        all.put("catalog-db-operator", mongo);
        Map<String, String> claim = common();
        claim.putAll(ordered("apiVersion=database.example.org/v1beta1", "kind=PostgreSQLInstance", "parameters.storageGB=50",
                "compositionRef=other", "compositionSelector.region=eu"));
        all.put("ledger-claim", claim);
        return all;
    }

    private static Map<String, String> common() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < COMMON.size(); i++) {
            map.put(COMMON_PARAMS.get(i), COMMON.get(i));
        }
        return map;
    }

    /** Each set keyed by the documented param it changes: the longest documented prefix of its path. */
    private static Map<String, String> ordered(String... sets) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String set : sets) {
            map.put(set.substring(0, set.indexOf('=')).replace("\\.", "\u0000"), set);
        }
        return map;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        changes().forEach((chartName, sets) -> sets.forEach((param, set) -> cases.add(Arguments.of(chartName, set))));
        return cases.stream();
    }

    /** The documents of one subchart, rendered as part of the parent with the operators' APIs served. */
    static String render(String chartName, List<String> sets, boolean apis) {
        List<String> command = new ArrayList<>(List.of(Tools.helm4().toString(), "template", "rel", chart.toString(), "--namespace", "ns"));
        if (apis) {
            command.addAll(OperatorFixtures.apiVersions("database.example.org/v1alpha1/MySQLInstance", "database.example.org/v1beta1/PostgreSQLInstance"));
        }
        for (String set : sets) {
            command.addAll(List.of("--set", chartName + "." + set));
        }
        String source = "# Source: " + chart.getFileName() + "/charts/" + chartName + "/";
        StringBuilder kept = new StringBuilder();
        for (String document : Tools.run(out, command).assertOk().stdout().split("(?m)^---$")) {
            if (document.strip().startsWith(source)) {
                kept.append("---").append(document);
            }
        }
        return kept.toString();
    }

    @Test
    void everyDocumentedValueHasAChangeInTheTable() throws IOException {
        for (Map.Entry<String, Map<String, String>> entry : changes().entrySet()) {
            Set<String> documented = new TreeSet<>();
            Matcher m = PARAM.matcher(Files.readString(chart.resolve("charts").resolve(entry.getKey()).resolve("values.yaml")));
            while (m.find()) {
                documented.add(m.group(1));
            }
            documented.remove("force");
            Set<String> covered = new TreeSet<>();
            for (String path : entry.getValue().keySet()) {
                String param = path;
                while (!documented.contains(param) && param.contains(".")) {
                    param = param.substring(0, param.lastIndexOf('.'));
                }
                covered.add(param.replace("\u0000", "."));
            }
            assertEquals(documented, covered, entry.getKey() + ": every documented value is changed once");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void settingTheValueChangesTheChartsResources(String chartName, String set) {
        String before = render(chartName, List.of(), true);
        String after = render(chartName, List.of(set), true);
        assertNotEquals(before, after, "--set " + chartName + "." + set + " changes nothing");
        if (!set.startsWith("apiVersion=kafka.strimzi.io/v1")) { // the project has Strimzi's v1beta2 schemas only
            KubeSchemaValidator.shared().assertValid(after, Set.of("database.example.org/v1alpha1 MySQLInstance",
                    "database.example.org/v1beta1 PostgreSQLInstance"));
        }
    }

    @Test
    void forceRendersTheResourcesWithoutTheirApi() {
        for (String chartName : changes().keySet()) {
            assertEquals("", render(chartName, List.of(), false).strip(),
                    chartName + " renders nothing where the cluster lacks the API");
            assertNotEquals("", render(chartName, List.of("force=true"), false).strip(), chartName + ": force renders it");
        }
    }
}
