package dev.castle.load;

/**
 * Where each field of a tree was written: a JSON pointer of the tree (its logical place, such as
 * {@code /services/web/replicas}) to the file position and the pointer of the node written there.
 * For an environment's merged tree, a value from an override answers with the override's own
 * place ({@code /environments/prod/services/web/replicas}). A pointer to nothing written answers
 * with its nearest written ancestor.
 */
public final class SourceMap {
    private final Node root;

    public SourceMap(Node root) {
        this.root = root;
    }

    /** A place in the file and the pointer of what is written there. */
    public record Location(Position position, String pointer) {
    }

    /** Where the value at {@code pointer} is written; with {@code atKey}, the position of its key. */
    public Location locate(String pointer, boolean atKey) {
        Node current = root;
        Position found = root.position();
        String foundPointer = root.pointer();
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return new Location(found, foundPointer);
        }
        String[] tokens = pointer.substring(1).split("/", -1);
        int i = 0;
        for (; i < tokens.length; i++) {
            String token = tokens[i].replace("~1", "/").replace("~0", "~");
            boolean last = i == tokens.length - 1;
            if (current instanceof Node.MapNode map && map.entries().containsKey(token)) {
                Node.Entry entry = map.entries().get(token);
                current = entry.value();
                found = last && atKey ? entry.keyPosition() : current.position();
                foundPointer = current.pointer();
            } else if (current instanceof Node.ListNode list && token.matches("\\d{1,9}")
                    && Integer.parseInt(token) < list.items().size()) {
                current = list.items().get(Integer.parseInt(token));
                found = current.position();
                foundPointer = current.pointer();
            } else {
                break;
            }
        }
        StringBuilder written = new StringBuilder(foundPointer);
        for (; i < tokens.length; i++) {
            written.append('/').append(tokens[i]);
        }
        return new Location(found, written.length() == 0 ? "/" : written.toString());
    }

    public Position position(String pointer) {
        return locate(pointer, false).position();
    }

    /** For a pointer to a map entry, the position of its key (where an editor should jump for "unknown key"). */
    public Position keyPosition(String pointer) {
        return locate(pointer, true).position();
    }
}
