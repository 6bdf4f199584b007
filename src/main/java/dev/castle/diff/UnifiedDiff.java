package dev.castle.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts line by line ({@code diff -u} format, three lines of context), from
 * the longest common subsequence of their lines. Rendered objects are small, so the quadratic
 * table is cheap.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** One line of the edit script: ' ' kept, '-' removed, '+' added, with its line numbers (1-based). */
    private record Line(char op, String text, int oldLine, int newLine) {
    }

    /** The hunks ({@code @@ -a,b +c,d @@} and lines), empty when the texts are equal. */
    static List<String> hunks(List<String> a, List<String> b) {
        List<Line> script = script(a, b);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < script.size() && (script.get(end).op() != ' ' || end - lastChange <= 2 * CONTEXT)) {
                if (script.get(end).op() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(script.size(), lastChange + CONTEXT + 1);
            List<Line> hunk = script.subList(start, end);
            int oldStart = hunk.stream().filter(l -> l.op() != '+').mapToInt(Line::oldLine).findFirst().orElse(0);
            int newStart = hunk.stream().filter(l -> l.op() != '-').mapToInt(Line::newLine).findFirst().orElse(0);
            long oldCount = hunk.stream().filter(l -> l.op() != '+').count();
            long newCount = hunk.stream().filter(l -> l.op() != '-').count();
            if (oldCount == 0) {
                oldStart = Math.max(0, hunk.get(0).oldLine() - 1);
            }
            if (newCount == 0) {
                newStart = Math.max(0, hunk.get(0).newLine() - 1);
            }
            out.add("@@ -" + oldStart + "," + oldCount + " +" + newStart + "," + newCount + " @@");
            hunk.forEach(l -> out.add(l.op() + l.text()));
            i = end;
        }
        return out;
    }

    private static List<Line> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> script = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                script.add(new Line(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                script.add(new Line('+', b.get(j), i + 1, j + 1));
                j++;
            } else {
                script.add(new Line('-', a.get(i), i + 1, j + 1));
                i++;
            }
        }
        return script;
    }
}
