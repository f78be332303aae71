package com.gitblit.plugin.goproxy.module.zip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A txtar archive (golang.org/x/tools/txtar) as x/mod's zip tests use them: a comment, then named files. */
final class Txtar {
    final byte[] comment;
    final List<String> names = new ArrayList<>();
    final List<byte[]> contents = new ArrayList<>();
    /** Header keys (path, version, hash, wantErr) with their raw bytes, '#' comments removed. */
    final Map<String, byte[]> header = new LinkedHashMap<>();

    private Txtar(byte[] comment) {
        this.comment = comment;
    }

    static Txtar read(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        List<int[]> markers = new ArrayList<>(); // {lineStart, nameStart, nameEnd, dataStart}
        int i = 0;
        while (i < data.length) {
            int end = i;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            if (end - i >= 7 && startsWith(data, i, "-- ") && endsWith(data, end, " --")) {
                markers.add(new int[] {i, i + 3, end - 3, Math.min(end + 1, data.length)});
            }
            i = end + 1;
        }
        int firstMarker = markers.isEmpty() ? data.length : markers.get(0)[0];
        Txtar t = new Txtar(Arrays.copyOfRange(data, 0, firstMarker));
        for (int m = 0; m < markers.size(); m++) {
            int[] mk = markers.get(m);
            int dataEnd = m + 1 < markers.size() ? markers.get(m + 1)[0] : data.length;
            t.names.add(new String(data, mk[1], mk[2] - mk[1], StandardCharsets.UTF_8).trim());
            byte[] content = Arrays.copyOfRange(data, mk[3], Math.max(mk[3], dataEnd));
            if (content.length > 0 && content[content.length - 1] != '\n') {
                content = Arrays.copyOf(content, content.length + 1);
                content[content.length - 1] = '\n';
            }
            t.contents.add(content);
        }
        for (String line : splitLines(t.comment)) {
            byte[] raw = line.getBytes(StandardCharsets.ISO_8859_1);
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            String key = l.substring(0, eq).trim();
            String value = l.substring(eq + 1).trim();
            t.header.put(key, value.getBytes(StandardCharsets.ISO_8859_1));
        }
        return t;
    }

    String headerString(String key) {
        byte[] v = header.get(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    byte[] file(String name) {
        int k = names.indexOf(name);
        return k < 0 ? null : contents.get(k);
    }

    private static List<String> splitLines(byte[] b) {
        return Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1));
    }

    private static boolean startsWith(byte[] d, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (at + k >= d.length || d[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(byte[] d, int end, String s) {
        return end - s.length() >= 0 && startsWith(d, end - s.length(), s);
    }
}
