package dev.gatehouse.authn;

import java.security.Key;
import java.security.Provider;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.proc.JWSVerifierFactory;

/**
 * The cryptography behind every JWT signature Gatehouse checks or makes. Nimbus does the JOSE work (algorithm
 * and key checks, ECDSA's signature encoding); the RSA and ECDSA arithmetic runs in Amazon Corretto Crypto
 * Provider (AWS-LC) when its native library loads on this machine, for the algorithms it offers, and in the JDK's
 * providers otherwise. Measured on this project's 2-core machines (JMH, {@code AuthenticationBenchmark}): the
 * JDK's RS256 check costs 26-43 µs and its ES256 check 300-440 µs, so a first-seen token could not stay within
 * the identity issue's 40 µs; the provider is chosen here, once, so no call site can forget it.
 */
public final class JoseCrypto {
    private static final Logger LOG = LoggerFactory.getLogger(JoseCrypto.class);
    /** JOSE algorithm → the JCA signature Nimbus asks the provider for. */
    private static final Map<JWSAlgorithm, String> JCA_NAMES = Map.of(
            JWSAlgorithm.RS256, "SHA256withRSA", JWSAlgorithm.RS384, "SHA384withRSA",
            JWSAlgorithm.RS512, "SHA512withRSA", JWSAlgorithm.ES256, "SHA256withECDSA",
            JWSAlgorithm.ES384, "SHA384withECDSA", JWSAlgorithm.ES512, "SHA512withECDSA");
    private static final Provider PROVIDER = load();
    private static final Set<JWSAlgorithm> ACCELERATED = PROVIDER == null ? Set.of()
            : JCA_NAMES.entrySet().stream().filter(e -> PROVIDER.getService("Signature", e.getValue()) != null)
            .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());

    private JoseCrypto() {
    }

    private static Provider load() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                LOG.info("JWT signatures use the JDK's providers: Amazon Corretto Crypto Provider is unavailable"
                        + " here ({})", accp.getLoadingError().toString());
                return null;
            }
            accp.assertHealthy();
            return accp;
        } catch (RuntimeException | LinkageError e) {
            LOG.info("JWT signatures use the JDK's providers: Amazon Corretto Crypto Provider is unavailable here"
                    + " ({})", e.toString());
            return null;
        }
    }

    /** The provider doing the arithmetic for {@code alg}: a name for logs and benchmarks. */
    public static String providerFor(JWSAlgorithm alg) {
        return ACCELERATED.contains(alg) ? PROVIDER.getName() : "JDK";
    }

    /** Creates signature verifiers for a {@code DefaultJWTProcessor}, accelerated where the provider can. */
    public static JWSVerifierFactory verifierFactory() {
        DefaultJWSVerifierFactory jdk = new DefaultJWSVerifierFactory();
        if (PROVIDER == null) {
            return jdk;
        }
        DefaultJWSVerifierFactory fast = new DefaultJWSVerifierFactory();
        fast.getJCAContext().setProvider(PROVIDER);
        return new JWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                return (ACCELERATED.contains(header.getAlgorithm()) ? fast : jdk).createJWSVerifier(header, key);
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return jdk.supportedJWSAlgorithms();
            }

            @Override
            public JCAContext getJCAContext() {
                return jdk.getJCAContext();
            }
        };
    }

    /** An ECDSA signer for {@code key} (a P-256 key: the gateway's issuer signs ES256), accelerated where it can. */
    public static JWSSigner ecdsaSigner(ECKey key) throws JOSEException {
        ECDSASigner signer = new ECDSASigner(key);
        if (ACCELERATED.containsAll(signer.supportedJWSAlgorithms())) {
            signer.getJCAContext().setProvider(PROVIDER);
        }
        return signer;
    }
}
