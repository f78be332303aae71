package com.gitblit.plugin.goproxy.source.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code .gitattributes} file as git 2.39 reads it from the index (which is how {@code git archive}
 * reads the archived tree's attributes):
 * <ul>
 *   <li>Lines end at LF; a CR before it is just trailing whitespace. No BOM is stripped. Reading stops
 *       at the first NUL byte.</li>
 *   <li>Blank lines and lines whose first non-blank is {@code #} are ignored; so is every line of 2048
 *       bytes or more. Blanks are space, TAB, CR and LF.</li>
 *   <li>A line is a pattern (C-quoted or a blank-free token) followed by attribute states: {@code attr},
 *       {@code -attr}, {@code !attr}, {@code attr=value}. For {@code -attr=...} and {@code !attr=...} the
 *       value is ignored. Names are {@code [-A-Za-z0-9_.]+} not starting with {@code -}; one invalid name
 *       drops the whole line.</li>
 *   <li>{@code [attr]name states...} defines a macro, honoured only in the root file; elsewhere the line is
 *       dropped.</li>
 *   <li>A negative pattern ({@code !pattern}) drops the line.</li>
 * </ul>
 */
final class AttributeFile {
    /** git ignores an attributes blob of this size or more. */
    static final long MAX_FILE_SIZE = 100L * 1024 * 1024;
    private static final int MAX_LINE_LENGTH = 2048;
    private static final byte[] MACRO_PREFIX = "[attr]".getBytes(StandardCharsets.US_ASCII);

    static final AttributeFile EMPTY = new AttributeFile(Collections.<Rule>emptyList(), Collections.<Macro>emptyList());

    /** One attribute assignment of a line, in line order. */
    static final class Assignment {
        final String name;
        final AttributeState state;

        Assignment(String name, AttributeState state) {
            this.name = name;
            this.state = state;
        }
    }

    /** A pattern line. */
    static final class Rule {
        final AttributePattern pattern;
        final List<Assignment> assignments;

        Rule(AttributePattern pattern, List<Assignment> assignments) {
            this.pattern = pattern;
            this.assignments = assignments;
        }
    }

    /** A {@code [attr]} line. */
    static final class Macro {
        final String name;
        final List<Assignment> assignments;

        Macro(String name, List<Assignment> assignments) {
            this.name = name;
            this.assignments = assignments;
        }
    }

    private final List<Rule> rules;
    private final List<Macro> macros;

    AttributeFile(List<Rule> rules, List<Macro> macros) {
        this.rules = rules;
        this.macros = macros;
    }

    /** Pattern lines in file order. */
    List<Rule> rules() {
        return rules;
    }

    /** Macro definitions in file order (empty unless parsed as the root file). */
    List<Macro> macros() {
        return macros;
    }

    /**
     * Reads a whole file; a line of {@link #MAX_LINE_LENGTH} bytes or more is skipped without being held in
     * memory.
     */
    static AttributeFile parse(InputStream in, boolean macrosAllowed) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<Macro> macros = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineLength = 0;
        byte[] buf = new byte[8192];
        boolean done = false;
        int n;
        while (!done && (n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == 0) {
                    done = true;
                    break;
                }
                if (b == '\n') {
                    if (lineLength < MAX_LINE_LENGTH) {
                        parseLine(line.toByteArray(), macrosAllowed, rules, macros);
                    }
                    line.reset();
                    lineLength = 0;
                    continue;
                }
                lineLength++;
                if (lineLength < MAX_LINE_LENGTH) {
                    line.write(b);
                }
            }
        }
        if (lineLength > 0 && lineLength < MAX_LINE_LENGTH) {
            parseLine(line.toByteArray(), macrosAllowed, rules, macros);
        }
        return new AttributeFile(rules, macros);
    }

    static AttributeFile parse(byte[] content, boolean macrosAllowed) {
        try {
            return parse(new java.io.ByteArrayInputStream(content), macrosAllowed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static void parseLine(byte[] line, boolean macrosAllowed, List<Rule> rules, List<Macro> macros) {
        int len = line.length;
        int cp = 0;
        while (cp < len && isBlank(line[cp])) {
            cp++;
        }
        if (cp == len || line[cp] == '#') {
            return;
        }
        byte[] name;
        int states;
        CQuote.Result quoted = line[cp] == '"' ? CQuote.unquote(line, cp, len) : null;
        if (quoted != null) {
            name = quoted.value;
            states = quoted.end;
        } else {
            int end = cp;
            while (end < len && !isBlank(line[end])) {
                end++;
            }
            name = java.util.Arrays.copyOfRange(line, cp, end);
            states = end;
        }

        String macroName = null;
        if (name.length > MACRO_PREFIX.length && startsWith(name, MACRO_PREFIX)) {
            if (!macrosAllowed) {
                return;
            }
            // the name is read as a C string: a NUL from a quoted \000 ends it
            int i = MACRO_PREFIX.length;
            while (i < name.length && name[i] != 0 && isBlank(name[i])) {
                i++;
            }
            int j = i;
            while (j < name.length && name[j] != 0 && !isBlank(name[j])) {
                j++;
            }
            if (!isValidName(name, i, j - i)) {
                return;
            }
            macroName = new String(name, i, j - i, StandardCharsets.ISO_8859_1);
        }

        while (states < len && isBlank(line[states])) {
            states++;
        }
        List<Assignment> assignments = new ArrayList<>();
        int cur = states;
        while (cur < len) {
            int ep = cur;
            while (ep < len && !isBlank(line[ep])) {
                ep++;
            }
            int equals = -1;
            for (int k = cur; k < ep; k++) {
                if (line[k] == '=') {
                    equals = k;
                    break;
                }
            }
            int nameStart = cur;
            int nameLen = (equals >= 0 ? equals : ep) - cur;
            AttributeState state;
            if (line[cur] == '-' || line[cur] == '!') {
                state = line[cur] == '-' ? AttributeState.UNSET : AttributeState.UNSPECIFIED;
                nameStart++;
                nameLen--;
            } else if (equals < 0) {
                state = AttributeState.SET;
            } else {
                state = AttributeState.value(new String(line, equals + 1, ep - equals - 1, StandardCharsets.ISO_8859_1));
            }
            if (!isValidName(line, nameStart, nameLen)) {
                return;
            }
            assignments.add(new Assignment(new String(line, nameStart, nameLen, StandardCharsets.ISO_8859_1), state));
            cur = ep;
            while (cur < len && isBlank(line[cur])) {
                cur++;
            }
        }

        if (macroName != null) {
            macros.add(new Macro(macroName, Collections.unmodifiableList(assignments)));
            return;
        }
        AttributePattern pattern = AttributePattern.parse(name);
        if (pattern.isNegative()) {
            return;
        }
        rules.add(new Rule(pattern, Collections.unmodifiableList(assignments)));
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** git's {@code attr_name_valid}. */
    static boolean isValidName(byte[] a, int off, int len) {
        if (len <= 0 || a[off] == '-') {
            return false;
        }
        for (int i = off; i < off + len; i++) {
            int c = a[i];
            boolean ok = c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
