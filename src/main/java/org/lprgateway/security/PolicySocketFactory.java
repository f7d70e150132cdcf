package org.lprgateway.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * JDK client sockets limited to the gateway's TLS protocols and suites (an SSLContext alone offers
 * the JVM's defaults): the HTTP and WebSocket clients' (Tls) and the MQTT client's (MqttTls).
 */
public final class PolicySocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final String[] protocols;
    private final String[] suites;

    public PolicySocketFactory(SSLSocketFactory delegate, List<String> protocols, List<String> suites) {
        this.delegate = delegate;
        this.protocols = protocols.toArray(new String[0]);
        this.suites = suites.toArray(new String[0]);
    }

    private Socket limit(Socket s) {
        if (s instanceof SSLSocket ssl) {
            ssl.setEnabledProtocols(protocols);
            ssl.setEnabledCipherSuites(suites);
        }
        return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return suites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return suites.clone();
    }

    @Override
    public Socket createSocket() throws IOException {
        return limit(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return limit(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return limit(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return limit(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return limit(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return limit(delegate.createSocket(address, port, localAddress, localPort));
    }
}
