package dev.gatehouse.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses RFC 3339 times on the command line ({@code --from}, {@code --to}), with a message that shows the form. */
public final class Rfc3339 implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' (expected: an RFC 3339 time such as "
                    + "2026-01-01T00:00:00Z)");
        }
    }
}
