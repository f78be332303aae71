package com.gitblit.plugin.goproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

import com.gitblit.plugin.goproxy.module.zip.DirHash;

/**
 * A static GOPROXY tree served by Jetty on loopback, as a dependency proxy's upstream: files by path, which a test
 * may change at any time, every request recorded, and a switch to answer every request with a given status.
 * Stopping and starting again keeps the port, so a stopped upstream is a refused connection.
 */
public final class StaticGoProxy implements AutoCloseable {
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile int failWith;
    private Server server;
    private int port;

    public static StaticGoProxy start() throws Exception {
        StaticGoProxy p = new StaticGoProxy();
        p.startOn(0);
        return p;
    }

    private void startOn(int wanted) throws Exception {
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(wanted);
        server.addConnector(c);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                base.setHandled(true);
                String path = request.getRequestURI();
                requests.add(path);
                if (failWith != 0) {
                    response.sendError(failWith, "upstream failure " + failWith);
                    return;
                }
                byte[] body = files.get(path);
                if (body == null) {
                    response.setStatus(404);
                    response.setContentType("text/plain");
                    response.getOutputStream().write(("not found: " + path).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                response.setStatus(200);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        });
        server.start();
        port = c.getLocalPort();
    }

    /** {@code http://127.0.0.1:port} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void put(String path, byte[] body) {
        files.put(path.startsWith("/") ? path : "/" + path, body);
    }

    /** Every request answers {@code status} (0: serve files again). */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** The request paths so far, in order. */
    public List<String> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public long count(String path) {
        return requests().stream().filter(path::equals).count();
    }

    public void stop() throws Exception {
        server.stop();
    }

    public void restart() throws Exception {
        startOn(port);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** One module version as a proxy serves it, with the go.sum lines a checksum database holds for it. */
    public static final class Version {
        public final String module;
        public final String version;
        public final byte[] goMod;
        public final byte[] zip;
        public final String info;

        public Version(String module, String version, String goMod, Map<String, String> files) {
            this.module = module;
            this.version = version;
            this.goMod = goMod.getBytes(StandardCharsets.UTF_8);
            Map<String, String> all = new TreeMap<>(files);
            all.put("go.mod", goMod);
            this.zip = zip(module + "@" + version + "/", all);
            this.info = "{\"Version\":\"" + version + "\",\"Time\":\"2024-01-02T03:04:05Z\"}";
        }

        /** {@code module version h1:...} and {@code module version/go.mod h1:...}, from x/mod's dirhash rules. */
        public String goSumLines() {
            return module + " " + version + " " + zipHash(zip) + "\n" + module + " " + version + "/go.mod "
                    + DirHash.hashGoMod(goMod) + "\n";
        }

        /** Publishes the version on {@code proxy}: .info, .mod, .zip, and the list. */
        public void publish(StaticGoProxy proxy, String... listed) {
            String base = "/" + module + "/@v/";
            proxy.put(base + version + ".info", info.getBytes(StandardCharsets.UTF_8));
            proxy.put(base + version + ".mod", goMod);
            proxy.put(base + version + ".zip", zip);
            proxy.put(base + "list", (String.join("\n", listed) + "\n").getBytes(StandardCharsets.UTF_8));
            proxy.put("/" + module + "/@latest", info.getBytes(StandardCharsets.UTF_8));
        }

        static byte[] zip(String prefix, Map<String, String> files) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    z.putNextEntry(new ZipEntry(prefix + f.getKey()));
                    z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                    z.closeEntry();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }

        static String zipHash(byte[] zip) {
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
                List<DirHash.Entry> entries = new ArrayList<>();
                for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0;) {
                        sha.update(buf, 0, n);
                    }
                    entries.add(new DirHash.Entry(e.getName(), sha.digest()));
                }
                return DirHash.hash1(entries);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
