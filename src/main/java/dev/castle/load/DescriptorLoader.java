package dev.castle.load;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * First stage: reads a descriptor file into a {@link Node} tree that keeps line and column.
 * Rejects what YAML itself allows but a descriptor must not hold: several documents, duplicate
 * keys, non-string keys, merge keys, deep nesting and alias expansion bombs.
 */
public final class DescriptorLoader {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 200_000;
    static final int MAX_ALIASES = 20;

    private final Resolver resolver = new Resolver();

    public Node load(Path file) throws InvalidInputException {
        return load(file, RegularFile.read(file, MAX_BYTES,
                "give the path of a castle descriptor, such as examples/shop/castle.yaml"));
    }

    public Node load(Path file, byte[] bytes) throws InvalidInputException {
        Position start = new Position(file, 1, 1);
        if (bytes.length > MAX_BYTES) {
            throw RegularFile.tooLarge(start, bytes.length, MAX_BYTES);
        }
        String text = decode(file, bytes);
        if (text.isBlank() || text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
            throw new InvalidInputException(new Diagnostic(start, "/", "the file is empty",
                    "a YAML mapping starting with 'apiVersion: castle/v1alpha1' and 'kind: System'"));
        }
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML's own limits report no position; the converter below enforces the real ones.
        options.setMaxAliasesForCollections(1000);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(4 * MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setProcessComments(false);
        List<org.yaml.snakeyaml.nodes.Node> documents = new ArrayList<>();
        try {
            Composer composer = new Composer(new AliasLimit(file, new ParserImpl(new StreamReader(text), options)), resolver, options);
            while (composer.checkNode()) {
                documents.add(composer.getNode());
            }
        } catch (AliasLimit.Exceeded e) {
            throw new InvalidInputException(e.diagnostic);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            if (e.getContextMark() != null && e.getProblem() != null && e.getProblem().contains("end of stream")) {
                mark = e.getContextMark();
            }
            String problem = "invalid YAML: " + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
            if (e.getContext() != null) {
                problem += " (" + firstLine(e.getContext()) + ")";
            }
            throw new InvalidInputException(new Diagnostic(position(file, mark), "/", problem,
                    "well-formed YAML 1.1; check indentation, quotes and colons near this place"));
        } catch (YAMLException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "invalid YAML: " + firstLine(e.getMessage()),
                    "well-formed YAML without alias expansion bombs or excessive nesting"));
        } catch (StackOverflowError e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "YAML nested too deeply",
                    "at most " + MAX_DEPTH + " levels"));
        }
        if (documents.isEmpty()) {
            throw new InvalidInputException(new Diagnostic(start, "/", "the file holds no YAML document",
                    "one YAML mapping"));
        }
        if (documents.size() > 1) {
            throw new InvalidInputException(new Diagnostic(position(file, documents.get(1).getStartMark()), "/",
                    "the file holds " + documents.size() + " YAML documents", "exactly one document per descriptor"));
        }
        List<Diagnostic> problems = new ArrayList<>();
        Converter converter = new Converter(file, problems);
        Node root = converter.convert(documents.get(0), "", 0);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return root;
    }

    private static String decode(Path file, byte[] bytes) throws InvalidInputException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            int line = 1;
            int column = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                    column = 1;
                    continue;
                }
                if (c < 0x20 && c != '\t' && c != '\r' || c == 0x7f) {
                    throw new InvalidInputException(new Diagnostic(new Position(file, line, column), "/",
                            String.format("binary or control character U+%04X in the file", (int) c),
                            "a UTF-8 text file"));
                }
                column++;
            }
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(new Diagnostic(firstBadByte(file, bytes), "/",
                    "the file is not valid UTF-8 text (binary data?)", "a UTF-8 text file"));
        }
    }

    /**
     * The parser's events on their way to the composer: counts the aliases of lists and mappings,
     * where each alias still has its position, and refuses the one past the limit, so that an alias
     * expansion bomb ("billion laughs") stops here, before anything is expanded. In the composer's
     * pass over the text: a pass of its own had a tenth of the main thread's samples in a validate
     * of the shop.
     */
    private static final class AliasLimit implements Parser {
        private final Path file;
        private final Parser parser;
        private final java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
        private int aliases;

        AliasLimit(Path file, Parser parser) {
            this.file = file;
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event event = parser.getEvent();
            if (event instanceof CollectionStartEvent start && start.getAnchor() != null) {
                collectionAnchors.add(start.getAnchor());
            } else if (event instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor()) && ++aliases > MAX_ALIASES) {
                throw new Exceeded(new Diagnostic(position(file, alias.getStartMark()), "/",
                        "more than " + MAX_ALIASES + " aliases of lists or mappings (an alias expansion bomb?)",
                        "at most " + MAX_ALIASES + " aliases of lists or mappings"));
            }
            return event;
        }

        /** Carries the diagnostic out of the composer. */
        static final class Exceeded extends RuntimeException {
            private static final long serialVersionUID = 1L;
            private final transient Diagnostic diagnostic;

            Exceeded(Diagnostic diagnostic) {
                super(diagnostic.problem(), null, false, false);
                this.diagnostic = diagnostic;
            }
        }
    }

    /** Line and column of the first byte that is not UTF-8. */
    private static Position firstBadByte(Path file, byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        out.flip();
        int line = 1;
        int column = 1;
        while (out.hasRemaining()) {
            if (out.get() == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(file, line, column);
    }

    static Position position(Path file, Mark mark) {
        if (mark == null) {
            return new Position(file, 1, 1);
        }
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private final class Converter {
        private final Path file;
        private final List<Diagnostic> problems;
        private int nodes;
        /** Where the value being converted is written: its key's position (alias uses have no mark of their own). */
        private Position context;

        Converter(Path file, List<Diagnostic> problems) {
            this.file = file;
            this.problems = problems;
        }

        Node convert(org.yaml.snakeyaml.nodes.Node node, String pointer, int depth) throws InvalidInputException {
            Position at = position(file, node.getStartMark());
            if (depth > MAX_DEPTH) {
                throw new InvalidInputException(new Diagnostic(at, pointer, "the nesting depth exceeds " + MAX_DEPTH + " levels",
                        "at most " + MAX_DEPTH + " levels of nesting"));
            }
            if (++nodes > MAX_NODES) {
                throw new InvalidInputException(new Diagnostic(context == null ? at : context, pointer,
                        "the document is too large once aliases are expanded", "at most " + MAX_NODES + " values"));
            }
            if (node instanceof MappingNode map) {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                for (NodeTuple tuple : map.getValue()) {
                    org.yaml.snakeyaml.nodes.Node keyNode = tuple.getKeyNode();
                    Position keyAt = position(file, keyNode.getStartMark());
                    if (!(keyNode instanceof ScalarNode scalarKey)) {
                        problems.add(new Diagnostic(keyAt, pointer, "a key must be a plain string", "string keys"));
                        continue;
                    }
                    String key = scalarKey.getValue();
                    if (!wellFormed(key, keyAt, pointer)) {
                        continue;
                    }
                    if (keyNode.getTag().equals(Tag.MERGE) || "<<".equals(key) && scalarKey.isPlain()) {
                        problems.add(new Diagnostic(keyAt, pointer, "YAML merge keys ('<<') are not supported",
                                "write the keys out; anchors and aliases of whole values are fine"));
                        continue;
                    }
                    String childPointer = pointer + "/" + Node.escapePointerToken(key);
                    if (entries.containsKey(key)) {
                        Position first = entries.get(key).keyPosition();
                        problems.add(new Diagnostic(keyAt, childPointer, "duplicate key '" + key + "'",
                                "each key once per mapping; first defined at line " + first.line()
                                        + ", column " + first.column()));
                        continue;
                    }
                    context = keyAt;
                    entries.put(key, new Node.Entry(keyAt, convert(tuple.getValueNode(), childPointer, depth + 1)));
                }
                return new Node.MapNode(at, pointer, entries);
            }
            if (node instanceof SequenceNode sequence) {
                List<Node> items = new ArrayList<>();
                List<org.yaml.snakeyaml.nodes.Node> values = sequence.getValue();
                for (int i = 0; i < values.size(); i++) {
                    items.add(convert(values.get(i), pointer + "/" + i, depth + 1));
                }
                return new Node.ListNode(at, pointer, items);
            }
            ScalarNode scalar = (ScalarNode) node;
            wellFormed(scalar.getValue(), at, pointer);
            return new Node.ScalarNode(at, pointer, scalar.getValue(), typeOf(scalar), scalar.isPlain());
        }

        /**
         * Whether the text is a sequence of Unicode characters: an escape such as {@code "\ud800"}
         * gives half of a surrogate pair, which no UTF-8 output can hold. Reports it when not.
         */
        private boolean wellFormed(String text, Position at, String pointer) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    problems.add(new Diagnostic(at, pointer.isEmpty() ? "/" : pointer,
                            String.format("the escape \\u%04X is half of a UTF-16 surrogate pair, not a Unicode character", (int) c),
                            "a whole character: the pair (\\uD83D\\uDE00), \\U0001F600, or the character itself"));
                    return false;
                }
            }
            return true;
        }

        private Node.ScalarType typeOf(ScalarNode scalar) {
            return Node.ScalarType.of(scalar, resolver);
        }
    }
}
