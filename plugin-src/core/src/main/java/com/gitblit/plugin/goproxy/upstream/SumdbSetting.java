package com.gitblit.plugin.goproxy.upstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.gitblit.plugin.goproxy.sumdb.NoteVerifier;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;

/** One checksum database in GOSUMDB syntax: {@code name+hash+key [url]}; without a URL, {@code https://name}. */
public final class SumdbSetting {
    /** cmd/go's default database. */
    public static final String DEFAULT = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    private final NoteVerifier key;
    private final String url;

    private SumdbSetting(NoteVerifier key, String url) {
        this.key = key;
        this.url = url;
    }

    /**
     * Parses a list of databases separated by {@code ,} (each {@code name+hash+key [url]}); empty = none.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static List<SumdbSetting> parseList(String value) {
        List<SumdbSetting> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String one : value.split(",")) {
            if (!one.trim().isEmpty()) {
                out.add(parse(one.trim()));
            }
        }
        return Collections.unmodifiableList(out);
    }

    static SumdbSetting parse(String value) {
        String[] parts = value.trim().split("\\s+");
        if (parts.length > 2) {
            throw new IllegalArgumentException("checksum database \"" + value + "\": want name+hash+key [url]");
        }
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(parts[0]);
        } catch (SumdbException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        String url = parts.length == 2 ? parts[1] : "https://" + key.name();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            url = "https://" + url;
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new SumdbSetting(key, url);
    }

    public String name() {
        return key.name();
    }

    public NoteVerifier key() {
        return key;
    }

    /** The database's own base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    @Override
    public String toString() {
        return key + " " + url;
    }
}
