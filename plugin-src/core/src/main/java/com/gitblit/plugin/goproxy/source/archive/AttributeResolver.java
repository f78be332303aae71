package com.gitblit.plugin.goproxy.source.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the attributes of one file path the way git 2.39's {@code git_check_attr} does for
 * {@code git archive} in cmd/go's clone:
 * <ul>
 *   <li>Sources, highest precedence first: cmd/go's {@code $GIT_DIR/info/attributes}
 *       ({@code * -export-subst -export-ignore}), then the {@code .gitattributes} of the file's directory,
 *       of each parent directory up to the root. The server repository's own {@code info/attributes}, and
 *       any system or user attributes file, play no part.</li>
 *   <li>Within a file, later lines win; within a line, later assignments win; the first source that
 *       assigns an attribute (including {@code !attr}, "unspecified") decides it.</li>
 *   <li>When an attribute that names a macro becomes set, the macro's assignments are applied at once,
 *       under the same first-assignment-wins rule (macros may use macros). Macros come from the root
 *       {@code .gitattributes} (last definition wins) and the built-in
 *       {@code [attr]binary -diff -merge -text}, which the root file may redefine.</li>
 * </ul>
 */
final class AttributeResolver {
    /** A {@code .gitattributes} file and the directory it applies to ("" for the root). */
    static final class Frame {
        final byte[] base;
        final AttributeFile file;

        Frame(byte[] base, AttributeFile file) {
            this.base = base;
            this.file = file;
        }
    }

    private static final AttributeFile CMD_GO_INFO_ATTRIBUTES = AttributeFile.parse(
            "* -export-subst -export-ignore\n".getBytes(StandardCharsets.US_ASCII), true);
    private static final AttributeFile BUILTIN = AttributeFile.parse(
            "[attr]binary -diff -merge -text\n".getBytes(StandardCharsets.US_ASCII), true);

    private final Map<String, List<AttributeFile.Assignment>> macros = new HashMap<>();

    /** @param root the root {@code .gitattributes}, parsed with macros allowed ({@link AttributeFile#EMPTY} if none) */
    AttributeResolver(AttributeFile root) {
        // the first definition found from the top of git's stack wins: the root file's last one, then the built-in
        defineMacros(BUILTIN);
        defineMacros(root);
    }

    private void defineMacros(AttributeFile file) {
        for (AttributeFile.Macro m : file.macros()) {
            macros.put(m.name, m.assignments);
        }
    }

    /**
     * The attributes of the file at {@code path} (from the repository root), given the {@code .gitattributes}
     * files of its directory and its ancestors, deepest first, ending with the root's.
     */
    Map<String, AttributeState> resolve(byte[] path, List<Frame> directoryFramesDeepestFirst) {
        int basenameOffset = 0;
        for (int i = 0; i < path.length; i++) {
            if (path[i] == '/' && i + 1 < path.length) {
                basenameOffset = i + 1;
            }
        }
        Map<String, AttributeState> values = new HashMap<>();
        List<Frame> stack = new ArrayList<>(directoryFramesDeepestFirst.size() + 1);
        stack.add(new Frame(new byte[0], CMD_GO_INFO_ATTRIBUTES));
        stack.addAll(directoryFramesDeepestFirst);
        for (Frame frame : stack) {
            List<AttributeFile.Rule> rules = frame.file.rules();
            for (int i = rules.size() - 1; i >= 0; i--) {
                AttributeFile.Rule rule = rules.get(i);
                if (rule.pattern.matchesFile(path, basenameOffset, frame.base)) {
                    fill(rule.assignments, values);
                }
            }
        }
        return values;
    }

    private void fill(List<AttributeFile.Assignment> assignments, Map<String, AttributeState> values) {
        for (int i = assignments.size() - 1; i >= 0; i--) {
            AttributeFile.Assignment a = assignments.get(i);
            if (values.containsKey(a.name)) {
                continue;
            }
            values.put(a.name, a.state);
            List<AttributeFile.Assignment> macro = macros.get(a.name);
            if (macro != null && a.state.isSet()) {
                fill(macro, values);
            }
        }
    }
}
