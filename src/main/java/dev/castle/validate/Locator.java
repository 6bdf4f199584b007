package dev.castle.validate;

import dev.castle.load.Node;
import dev.castle.load.Position;

/** Finds the file position of a JSON pointer in the positioned tree (the nearest existing ancestor). */
public final class Locator {
    private Locator() {
    }

    public static Position position(Node root, String pointer) {
        return find(root, pointer, false);
    }

    /** For a pointer to a map entry, the position of its key (where an editor should jump for "unknown key"). */
    public static Position keyPosition(Node root, String pointer) {
        return find(root, pointer, true);
    }

    private static Position find(Node root, String pointer, boolean atKey) {
        Node current = root;
        Position found = root.position();
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return found;
        }
        String[] tokens = pointer.substring(1).split("/", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].replace("~1", "/").replace("~0", "~");
            boolean last = i == tokens.length - 1;
            if (current instanceof Node.MapNode map && map.entries().containsKey(token)) {
                Node.Entry entry = map.entries().get(token);
                current = entry.value();
                found = last && atKey ? entry.keyPosition() : current.position();
            } else if (current instanceof Node.ListNode list && token.matches("\\d+")
                    && Integer.parseInt(token) < list.items().size()) {
                current = list.items().get(Integer.parseInt(token));
                found = current.position();
            } else {
                break;
            }
        }
        return found;
    }
}
