package dev.castle.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A static web server on a loopback port serving one folder as it is (GET and HEAD, 404 for
 * anything else): what an HTTP chart repository needs.
 */
final class StaticServer implements AutoCloseable {
    private final HttpServer server;
    private final Path root;

    private StaticServer(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    static StaticServer serve(Path folder) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StaticServer s = new StaticServer(server, folder.toAbsolutePath().normalize());
        server.createContext("/", s::handle);
        server.start();
        return s;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!(method.equals("GET") || method.equals("HEAD")) || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String type = file.toString().endsWith(".yaml") ? "application/x-yaml" : "application/gzip";
            exchange.getResponseHeaders().add("Content-Type", type);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
