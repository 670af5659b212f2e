package dev.gatehouse.review.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import dev.gatehouse.review.Grant;
import dev.gatehouse.review.Review;

/**
 * Reviews and grants as JSON, the way the store keeps them: records by their components, instants and durations
 * as ISO-8601 strings ({@code 2026-12-07T18:00:00Z}, {@code PT15M}). Unknown fields are ignored, so a newer
 * gateway's extra fields do not break an older one reading the same store.
 */
final class ReviewJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("review-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new Parsed<>(Instant.class) {
                        @Override
                        Instant parse(String text) {
                            return Instant.parse(text);
                        }
                    })
                    .addDeserializer(Duration.class, new Parsed<>(Duration.class) {
                        @Override
                        Duration parse(String text) {
                            return Duration.parse(text);
                        }
                    }))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReviewJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Review review(String json) {
        return read(json, Review.class);
    }

    static Grant grant(String json) {
        return read(json, Grant.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored " + type.getSimpleName() + " is not readable: "
                    + e.getMessage(), e);
        }
    }

    /** A value read from its ISO-8601 text. */
    private abstract static class Parsed<T> extends StdScalarDeserializer<T> {
        Parsed(Class<T> type) {
            super(type);
        }

        abstract T parse(String text);

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
                return parse(text);
            } catch (RuntimeException e) {
                return ctx.reportInputMismatch(this, "not ISO-8601: " + text);
            }
        }
    }
}
