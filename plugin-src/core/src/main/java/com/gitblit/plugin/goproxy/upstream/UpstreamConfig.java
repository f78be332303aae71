package com.gitblit.plugin.goproxy.upstream;

import java.util.Locale;
import java.util.function.Function;

/**
 * Reads the dependency proxy's settings from named string values, for both hosts: Gitblit names them
 * {@code goproxy.upstream...}, the standalone server {@code --upstream...}. The keys passed to {@code value}
 * are the Gitblit names without the prefix: {@code upstream}, {@code upstreamAccess}, {@code upstreamAllow},
 * {@code upstreamDeny}, {@code upstreamMetadataTtl} (seconds), {@code upstreamSumdbs}, {@code upstreamNoSumCheck},
 * {@code upstreamTimeout} (seconds).
 */
public final class UpstreamConfig {
    private UpstreamConfig() {
    }

    /**
     * The settings, or {@code null} when {@code upstream} is empty (off).
     *
     * @param value a key's value, or null when unset
     * @param label the key as the operator writes it, for messages
     * @throws IllegalArgumentException one line that names the setting and what is wrong
     */
    public static UpstreamSettings read(Function<String, String> value, Function<String, String> label) {
        UpstreamList proxies;
        try {
            proxies = UpstreamList.parse(value.apply("upstream"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label.apply("upstream") + ": " + e.getMessage());
        }
        if (proxies == null) {
            return null;
        }
        UpstreamSettings.Builder b = UpstreamSettings.builder(proxies);
        String access = trimmed(value.apply("upstreamAccess"), "authenticated").toLowerCase(Locale.ROOT);
        if (!access.equals("authenticated") && !access.equals("anonymous")) {
            throw new IllegalArgumentException(label.apply("upstreamAccess") + ": want authenticated or anonymous, not "
                    + access);
        }
        b.anonymousAccess(access.equals("anonymous"));
        b.allow(patterns(value, label, "upstreamAllow"));
        b.deny(patterns(value, label, "upstreamDeny"));
        b.noSumCheck(patterns(value, label, "upstreamNoSumCheck"));
        b.metadataTtlMillis(1000L * seconds(value, label, "upstreamMetadataTtl", 600, true));
        int timeout = seconds(value, label, "upstreamTimeout", 60, false);
        b.timeouts(Math.min(timeout, 10) * 1000, timeout * 1000);
        String sumdbs = value.apply("upstreamSumdbs");
        try {
            b.sumdbs(SumdbSetting.parseList(sumdbs == null ? SumdbSetting.DEFAULT : sumdbs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label.apply("upstreamSumdbs") + ": " + e.getMessage());
        }
        return b.build();
    }

    private static ModulePatterns patterns(Function<String, String> value, Function<String, String> label, String key) {
        try {
            return ModulePatterns.parse(value.apply(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label.apply(key) + ": " + e.getMessage());
        }
    }

    private static int seconds(Function<String, String> value, Function<String, String> label, String key, int dflt,
            boolean zeroAllowed) {
        String v = trimmed(value.apply(key), Integer.toString(dflt));
        try {
            int n = Integer.parseInt(v);
            if (n > 0 || (zeroAllowed && n == 0)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(label.apply(key) + ": want a number of seconds, not " + v);
    }

    private static String trimmed(String v, String dflt) {
        return v == null || v.trim().isEmpty() ? dflt : v.trim();
    }
}
