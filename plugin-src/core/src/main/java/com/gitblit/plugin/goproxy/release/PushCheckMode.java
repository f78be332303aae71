package com.gitblit.plugin.goproxy.release;

import java.util.Locale;

/**
 * How strict a repository's push checks are ({@code goproxy.pushChecks}, per repository {@code goPushChecks};
 * {@code goproxy.protectReleasedTags} uses the same words): tell the pusher, refuse the ref update, or say nothing.
 */
public enum PushCheckMode {
    OFF, WARN, REJECT;

    /** The mode a setting's text names, or null when it names none (the caller falls back to its default). */
    public static PushCheckMode parse(String value) {
        if (value == null) {
            return null;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off": case "false": case "no": case "none":
                return OFF;
            case "warn": case "on": case "true": case "yes":
                return WARN;
            case "reject": case "refuse":
                return REJECT;
            default:
                return null;
        }
    }
}
