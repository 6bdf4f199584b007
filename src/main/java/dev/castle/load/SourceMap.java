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

    /** Whether a value is written at the pointer itself (not only at an ancestor). */
    public boolean isWritten(String pointer) {
        Node current = root;
        for (String token : pointer.substring(1).split("/", -1)) {
            current = child(current, token.replace("~1", "/").replace("~0", "~"));
            if (current == null) {
                return false;
            }
        }
        return true;
    }

    /** The value of a map key or list index below a node, or null. */
    private static Node child(Node node, String token) {
        if (node instanceof Node.MapNode map && map.entries().containsKey(token)) {
            return map.entries().get(token).value();
        }
        if (node instanceof Node.ListNode list && token.matches("\\d{1,9}") && Integer.parseInt(token) < list.items().size()) {
            return list.items().get(Integer.parseInt(token));
        }
        return null;
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
            Node next = child(current, token);
            if (next == null) {
                break;
            }
            found = last && atKey && current instanceof Node.MapNode map ? map.entries().get(token).keyPosition() : next.position();
            current = next;
            foundPointer = current.pointer();
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
