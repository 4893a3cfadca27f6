package dev.millwright.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection, for the load generator: the JDK's
 * HttpClient spends more CPU per request than the server under test, and on a 2-core machine the load
 * generator's cost is taken from the server. Handles Content-Length responses only, which is all the API
 * sends for non-watch requests.
 */
final class KeepAliveClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final String authorization;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveClient(String server, String token) {
        URI uri = URI.create(server);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.authorization = "Bearer " + token;
    }

    /** Sends one request and returns the status; the body is read and discarded. */
    int send(String method, String path, String contentType, byte[] body) throws IOException {
        if (socket == null) connect();
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Authorization: ").append(authorization).append("\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) out.write(body);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private int readResponse() throws IOException {
        String status = line();
        if (status == null || status.length() < 12) throw new IOException("connection closed");
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean close = false;
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            if (colon < 0) continue;
            String name = l.substring(0, colon).trim();
            String value = l.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Integer.parseInt(value);
            else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) close = true;
            else if (name.equalsIgnoreCase("Transfer-Encoding")) throw new IOException("chunked responses are not supported here");
        }
        if (length < 0) throw new IOException("response without Content-Length");
        in.skipNBytes(length);
        if (close) close();
        return code;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private void connect() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
