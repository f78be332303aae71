package com.gitblit.plugin.goproxy.module;

/**
 * A module path, version, file path or go.mod breaks one of Go's module rules.
 *
 * <p>The message is a single line, worded as cmd/go / x/mod word it where they have words for it
 * (for example {@code malformed module path "x": missing dot in first path element}), because a proxy
 * passes it to the {@code go} command, which prints it to the user.
 */
public class ModuleRuleException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModuleRuleException(String message) {
        super(message);
    }

    public ModuleRuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
