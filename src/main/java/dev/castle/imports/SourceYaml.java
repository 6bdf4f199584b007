package dev.castle.imports;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Position;

/**
 * Reads a file to import into a {@link SourceNode} tree with positions. Unlike a castle descriptor,
 * Compose files use YAML merge keys ({@code <<: *defaults}) on purpose, so they are expanded here
 * (keys written in the mapping win, then the merged mappings in order); duplicate keys, several
 * documents and oversized or too deeply nested input are refused with their position.
 */
final class SourceYaml {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 200_000;

    private final Resolver resolver = new Resolver();
    private final Path file;
    private final List<Diagnostic> problems = new ArrayList<>();
    private int nodes;

    private SourceYaml(Path file) {
        this.file = file;
    }

    /** Reads one YAML document; {@code what} names the kind of file in messages ("a Compose file"). */
    static SourceNode load(Path file, String what) throws InvalidInputException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(new Diagnostic(new Position(file, 1, 1), "/", "file not found", "the path of " + what));
        } catch (IOException e) {
            throw new InvalidInputException(new Diagnostic(new Position(file, 1, 1), "/", "cannot read file: " + e.getMessage(),
                    "a readable file"));
        }
        return new SourceYaml(file).parse(bytes, what);
    }

    private SourceNode parse(byte[] bytes, String what) throws InvalidInputException {
        Position start = new Position(file, 1, 1);
        if (bytes.length > MAX_BYTES) {
            throw new InvalidInputException(new Diagnostic(start, "/", "file is " + bytes.length + " bytes", "at most " + MAX_BYTES));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "the file is not UTF-8 text", what + " in UTF-8"));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(4 * MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setProcessComments(false);
        List<org.yaml.snakeyaml.nodes.Node> documents = new ArrayList<>();
        try {
            for (org.yaml.snakeyaml.nodes.Node document : new Yaml(options).composeAll(new StringReader(text))) {
                documents.add(document);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new InvalidInputException(new Diagnostic(position(mark), "/", "invalid YAML: " + firstLine(problem),
                    "well-formed YAML; check indentation, quotes and colons near this place"));
        } catch (YAMLException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "invalid YAML: " + firstLine(e.getMessage()),
                    "well-formed YAML without alias bombs or excessive nesting"));
        } catch (StackOverflowError e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "YAML nested too deeply", "at most " + MAX_DEPTH + " levels"));
        }
        if (documents.isEmpty()) {
            throw new InvalidInputException(new Diagnostic(start, "/", "the file is empty", what));
        }
        if (documents.size() > 1) {
            throw new InvalidInputException(new Diagnostic(position(documents.get(1).getStartMark()), "/",
                    "the file holds " + documents.size() + " YAML documents", "one document: " + what));
        }
        SourceNode root = convert(documents.get(0), "", 0);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return root;
    }

    private SourceNode convert(org.yaml.snakeyaml.nodes.Node node, String pointer, int depth) throws InvalidInputException {
        Position at = position(node.getStartMark());
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(new Diagnostic(at, pointer, "nested more than " + MAX_DEPTH + " levels", "less nesting"));
        }
        if (++nodes > MAX_NODES) {
            throw new InvalidInputException(new Diagnostic(at, pointer, "too many values once aliases are expanded",
                    "at most " + MAX_NODES + " values"));
        }
        if (node instanceof MappingNode map) {
            Map<String, SourceNode.Entry> entries = new LinkedHashMap<>();
            List<org.yaml.snakeyaml.nodes.Node> merged = new ArrayList<>();
            for (NodeTuple tuple : map.getValue()) {
                org.yaml.snakeyaml.nodes.Node keyNode = tuple.getKeyNode();
                Position keyAt = position(keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.add(new Diagnostic(keyAt, pointer, "a key must be a plain string", "string keys"));
                    continue;
                }
                if (keyNode.getTag().equals(Tag.MERGE) || "<<".equals(scalarKey.getValue()) && scalarKey.isPlain()) {
                    org.yaml.snakeyaml.nodes.Node value = tuple.getValueNode();
                    if (value instanceof MappingNode) {
                        merged.add(value);
                    } else if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(MappingNode.class::isInstance)) {
                        merged.addAll(seq.getValue());
                    } else {
                        problems.add(new Diagnostic(keyAt, pointer, "a merge key ('<<') needs a mapping or a list of mappings",
                                "<<: *anchor-of-a-mapping"));
                    }
                    continue;
                }
                String key = scalarKey.getValue();
                String childPointer = pointer + "/" + SourceNode.escape(key);
                if (entries.containsKey(key)) {
                    Position first = entries.get(key).keyPosition();
                    problems.add(new Diagnostic(keyAt, childPointer, "duplicate key '" + key + "'",
                            "each key once per mapping; first at line " + first.line() + ", column " + first.column()));
                    continue;
                }
                entries.put(key, new SourceNode.Entry(keyAt, convert(tuple.getValueNode(), childPointer, depth + 1)));
            }
            for (org.yaml.snakeyaml.nodes.Node source : merged) {
                SourceNode.Map mergedMap = (SourceNode.Map) convert(source, pointer, depth);
                mergedMap.entries().forEach(entries::putIfAbsent);
            }
            return new SourceNode.Map(at, pointer, entries);
        }
        if (node instanceof SequenceNode sequence) {
            List<SourceNode> items = new ArrayList<>();
            List<org.yaml.snakeyaml.nodes.Node> values = sequence.getValue();
            for (int i = 0; i < values.size(); i++) {
                items.add(convert(values.get(i), pointer + "/" + i, depth + 1));
            }
            return new SourceNode.Seq(at, pointer, items);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new SourceNode.Scalar(at, pointer, scalar.getValue(), typeOf(scalar));
    }

    private SourceNode.Type typeOf(ScalarNode scalar) {
        return SourceNode.Type.valueOf(dev.castle.load.Node.ScalarType.of(scalar, resolver).name());
    }

    private Position position(Mark mark) {
        return mark == null ? new Position(file, 1, 1) : new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
