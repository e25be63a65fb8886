package dev.duplex.remote;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for {@code duplexs://}: the daemon's certificate (PEM files given, or a self-signed one made once and kept),
 * its SHA-256 fingerprint, and the client's trust in it, by a CA certificate or by a pinned fingerprint. TLS 1.3
 * or 1.2 only.
 */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private Tls() {}

    /** The daemon's side: its certificate and key. */
    public record Identity(X509Certificate certificate, PrivateKey key) {
        /** The SHA-256 of the certificate (DER), lowercase hex: what clients pin with --tls-pin. */
        public String fingerprint() {
            return Tls.fingerprint(certificate);
        }

        public SSLContext serverContext() throws GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            store.setKeyEntry("duplex", key, new char[0], new java.security.cert.Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        }
    }

    public static String[] protocols() {
        return PROTOCOLS.clone();
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Reads a certificate and its private key from PEM files ({@code --tls-cert}, {@code --tls-key}). */
    public static Identity load(Path certificatePem, Path keyPem) throws IOException {
        X509Certificate certificate = certificate(certificatePem);
        try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key;
            if (o instanceof PEMKeyPair pair) {
                // an "EC PRIVATE KEY" may hold no public key: the private part is all a server needs
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IOException(keyPem + " holds no private key in PEM (unencrypted PKCS#8 or PKCS#1)");
            }
            return new Identity(certificate, key);
        }
    }

    /** Reads one X.509 certificate from a PEM file. */
    public static X509Certificate certificate(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException(pem + " holds no X.509 certificate in PEM");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(pem + ": " + e.getMessage(), e);
        }
    }

    /**
     * The self-signed identity kept in {@code dir} ({@code duplex-cert.pem}, {@code duplex-key.pem}), made (EC
     * P-256, valid ten years) the first time, for {@code names}: host names and IP addresses, the first also its
     * common name.
     */
    public static Identity selfSigned(Path dir, List<String> names) throws IOException {
        String hostname = names.get(0);
        Path cert = dir.resolve("duplex-cert.pem");
        Path key = dir.resolve("duplex-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            return load(cert, key);
        }
        Files.createDirectories(dir);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname.replaceAll("[,=+<>#;\"\\\\]", "_"));
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            GeneralName[] alt = names.stream().distinct().map(n -> new GeneralName(
                    n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            writePem(key, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null), true);
            writePem(cert, certificate, false);
            return new Identity(certificate, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static void writePem(Path file, Object o, boolean secret) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (secret && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(temp, StandardCharsets.US_ASCII))) {
            if (o instanceof org.bouncycastle.util.io.pem.PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The client's trust in a daemon certificate signed by the CA in {@code caPem} (host name checked). */
    public static SSLContext trustingCa(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate(caPem));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** The client's trust in exactly the daemon certificate whose SHA-256 is {@code pin}. */
    public static SSLContext pinning(String pin) throws GeneralSecurityException {
        String want = pin.toLowerCase(Locale.ROOT).replace(":", "");
        X509TrustManager pinned = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("duplex clients present no certificate");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0 || !fingerprint(chain[0]).equals(want)) {
                    throw new CertificateException("the daemon's certificate has SHA-256 "
                            + (chain == null || chain.length == 0 ? "(none)" : fingerprint(chain[0]))
                            + ", not the pinned " + want);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {pinned}, new SecureRandom());
        return context;
    }

    /** Whether {@code s} looks like a SHA-256 fingerprint (64 hex digits, colons allowed). */
    public static boolean isFingerprint(String s) {
        return s.replace(":", "").matches("[0-9A-Fa-f]{64}");
    }
}
