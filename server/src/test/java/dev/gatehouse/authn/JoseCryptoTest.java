package dev.gatehouse.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

class JoseCryptoTest {
    private final JWSVerifierFactory factory = JoseCrypto.verifierFactory();

    @Test
    void theAcceleratedProviderDoesRsaAndEcdsaOnThisKindOfMachine() {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256)) {
            assertThat(JoseCrypto.providerFor(alg)).as(alg.getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        }
    }

    /** Tokens signed by the JDK's providers verify, and one flipped signature bit fails, for every family. */
    @Test
    void verifiesJdkSignaturesAndRefusesATamperedOne() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        check(JWSAlgorithm.RS256, new RSASSASigner(rsa), rsa.toRSAPublicKey());
        check(JWSAlgorithm.PS256, new RSASSASigner(rsa), rsa.toRSAPublicKey());
        check(JWSAlgorithm.ES256, new ECDSASigner(ec), ec.toECPublicKey());
    }

    /** What the gateway signs (its issuer's ES256 key, through JoseCrypto) the JDK's providers verify. */
    @Test
    void itsEcdsaSignaturesVerifyInTheJdk() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = signed(JWSAlgorithm.ES256, JoseCrypto.ecdsaSigner(ec));
        assertThat(jwt.verify(new ECDSAVerifier(ec.toECPublicKey()))).isTrue();
    }

    private void check(JWSAlgorithm alg, JWSSigner signer, java.security.Key publicKey) throws Exception {
        SignedJWT jwt = signed(alg, signer);
        assertThat(jwt.verify(factory.createJWSVerifier(jwt.getHeader(), publicKey))).as(alg.getName()).isTrue();
        byte[] signature = jwt.getSignature().decode();
        signature[signature.length / 2] ^= 1;
        String[] parts = jwt.serialize().split("\\.");
        SignedJWT tampered = SignedJWT.parse(parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
        assertThat(tampered.verify(factory.createJWSVerifier(tampered.getHeader(), publicKey)))
                .as(alg.getName() + " tampered").isFalse();
    }

    private static SignedJWT signed(JWSAlgorithm alg, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), new JWTClaimsSet.Builder().subject("alice").build());
        jwt.sign(signer);
        return jwt;
    }
}
