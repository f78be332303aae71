package com.gitblit.plugin.goproxy.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * An access log of the proxy's requests in the NCSA combined format (what Apache's and nginx's "combined" write,
 * and every log tool reads): {@code host - user [time] "request" status bytes "referer" "user-agent"}. The user
 * is the one the proxy authenticated ({@link #USER_ATTRIBUTE}), never a name a client only claimed; the bytes are
 * the response's declared length ({@code -} when it streamed without one). One line per request, appended.
 */
public final class AccessLog implements Closeable {
    /** Request attribute a host sets to the name of the user it authenticated. */
    public static final String USER_ATTRIBUTE = "goproxy.user";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final OutputStream out;

    private AccessLog(OutputStream out) {
        this.out = out;
    }

    /** Appends to {@code file}, creating it (and its folder) when missing. */
    public static AccessLog open(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new AccessLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    /** Writes the line of one answered request. */
    public void record(HttpServletRequest request, HttpServletResponse response) {
        Object user = request.getAttribute(USER_ATTRIBUTE);
        String query = request.getQueryString();
        String length = response.getHeader("Content-Length");
        String line = request.getRemoteAddr() + " - " + (user == null ? "-" : field(user.toString())) + " ["
                + TIME.format(ZonedDateTime.now()) + "] \"" + field(request.getMethod() + " " + request.getRequestURI()
                + (query == null ? "" : "?" + query) + " " + request.getProtocol()) + "\" " + response.getStatus() + " "
                + (length == null ? "-" : length) + " \"" + quoted(request.getHeader("Referer")) + "\" \""
                + quoted(request.getHeader("User-Agent")) + "\"\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // The log must never fail a request; a full disk shows in the proxy's own health check.
            }
        }
    }

    private static String quoted(String value) {
        return value == null ? "-" : field(value);
    }

    /** No control characters or quotes: a client cannot forge a second line or end a field early. */
    private static String field(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
