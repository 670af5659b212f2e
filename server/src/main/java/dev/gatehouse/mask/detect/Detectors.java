package dev.gatehouse.mask.detect;

import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The built-in detectors, in the order they win a tie (two matches starting at the same byte: the longer wins, then
 * the earlier here).
 */
public final class Detectors {
    /** The longest value a detector holds back for: a PEM block, a GCP key field. */
    public static final int MAX_MATCH = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_TOKEN_BEFORE = "(?<![A-Za-z0-9_-])";
    private static final String NOT_TOKEN_AFTER = "(?![A-Za-z0-9_-])";

    /** PEM private keys of every flavour (PKCS#1 RSA, EC, DSA, OPENSSH, PKCS#8, encrypted, PGP), also JSON-escaped. */
    public static final Detector PEM_PRIVATE_KEY = Detector.of("pem-private-key",
            "-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{0," + MAX_MATCH
                    + "}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----",
            List.of("-----begin "));

    /** AWS access key ids: {@code AKIA} (long-term) or {@code ASIA} (temporary) and 16 more. */
    public static final Detector AWS_ACCESS_KEY_ID = Detector.of("aws-access-key-id",
            "(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])", List.of("akia", "asia"));

    /** AWS secret access keys where they are labelled ({@code aws_secret_access_key = ...}, {@code "SecretAccessKey":}). */
    public static final Detector AWS_SECRET_KEY = new Detector("aws-secret-access-key",
            Pattern.compile("(?i)(?:aws_secret_access_key|aws_secret_key|secretaccesskey)[\"']?[ \\t]*[=:][ \\t]*[\"']?"
                    + "([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
            1, List.of("aws_secret_access_key", "aws_secret_key", "secretaccesskey"),
            List.of("aws_secret_access_key", "aws_secret_key", "secretaccesskey"), null, Detector.Start.AT_TRIGGER);

    /** The key fields of a GCP service-account JSON key ({@code private_key}, {@code private_key_id}). */
    public static final Detector GCP_PRIVATE_KEY_FIELD = new Detector("gcp-private-key-field",
            Pattern.compile("(?<=\")private_key(?:_id)?\"[ \\t]*:[ \\t]*\"((?:[^\"\\\\\\n]|\\\\.){1," + MAX_MATCH
                    + "})\""),
            1, List.of("private_key"), List.of("private_key"), null, Detector.Start.AT_TRIGGER);

    /** GitHub tokens: personal ({@code ghp_}), OAuth, user-to-server, server-to-server, refresh, fine-grained. */
    public static final Detector GITHUB_TOKEN = Detector.of("github-token",
            NOT_TOKEN_BEFORE + "(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})" + NOT_TOKEN_AFTER,
            List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"));

    /** Slack tokens ({@code xoxb-}, {@code xoxp-}, {@code xoxa-}, {@code xoxr-}, {@code xoxs-}). */
    public static final Detector SLACK_TOKEN = Detector.of("slack-token",
            NOT_TOKEN_BEFORE + "xox[abprs]-[A-Za-z0-9-]{10,250}" + NOT_TOKEN_AFTER, List.of("xox"));

    /** JWTs: three base64url parts whose header decodes to a JSON object with {@code alg}. */
    public static final Detector JWT = new Detector("jwt",
            Pattern.compile(NOT_TOKEN_BEFORE + "(eyJ[A-Za-z0-9_-]{8,2048})\\.[A-Za-z0-9_-]{2,8192}\\.[A-Za-z0-9_-]{0,2048}"
                    + NOT_TOKEN_AFTER),
            0, List.of("eyj"), List.of(), Detectors::jwtHeader, Detector.Start.AT_TRIGGER);

    /** {@code Authorization: Bearer <token>} and any {@code bearer <token>}: the token. */
    public static final Detector BEARER_TOKEN = new Detector("bearer-token",
            Pattern.compile("(?i)(?<![A-Za-z0-9])bearer[ \\t]{1,16}([A-Za-z0-9._~+/-]{8,4096}=*)"),
            1, List.of("bearer"), List.of("bearer"), null, Detector.Start.AT_TRIGGER);

    /** Passwords in URLs ({@code scheme://user:password@host}): the password only. */
    public static final Detector URL_PASSWORD = new Detector("url-password",
            Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\\s:/@\"'<>]{0,256}:([^\\s/@\"'<>]{1,256})@"),
            1, List.of("://"), List.of(), null, Detector.Start.SCHEME_BEFORE_TRIGGER);

    /** Long tokens of the base64/hex alphabet that look random ({@link Entropy}). */
    public static final Detector HIGH_ENTROPY = new Detector("high-entropy",
            Pattern.compile("(?<![A-Za-z0-9+/_-])(?:h1:)?([A-Za-z0-9+/_-]{" + Entropy.MIN_LENGTH + ",4096}={0,2})"
                    + "(?![A-Za-z0-9+/_=-])"),
            1, List.of(), List.of(), Entropy::secretLike, Detector.Start.LONG_RUN);

    /** Every built-in detector. */
    public static final List<Detector> BUILT_IN = List.of(PEM_PRIVATE_KEY, GCP_PRIVATE_KEY_FIELD, AWS_SECRET_KEY,
            AWS_ACCESS_KEY_ID, GITHUB_TOKEN, SLACK_TOKEN, BEARER_TOKEN, URL_PASSWORD, JWT, HIGH_ENTROPY);

    private Detectors() {
    }

    static boolean jwtHeader(String jwt) {
        int dot = jwt.indexOf('.');
        try {
            byte[] header = Base64.getUrlDecoder().decode(jwt.substring(0, dot).replace("=", ""));
            JsonNode node = JSON.readTree(header);
            return node != null && node.isObject() && node.hasNonNull("alg");
        } catch (java.io.IOException | IllegalArgumentException notJwt) {
            return false;
        }
    }
}
